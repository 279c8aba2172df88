//! Behind a reverse proxy: which peers are proxies we trust (`server.trusted_proxies`), the
//! client's address from `X-Forwarded-For`, and whether the client reached the proxy over
//! HTTPS (`X-Forwarded-Proto`), which makes every cookie `Secure` and adds HSTS.
//!
//! A proxy appends the address it saw to `X-Forwarded-For`, so the list is only as
//! trustworthy as the proxies that wrote it: everything left of the first hop we do not
//! trust was written by the client. The client's address is therefore found by walking the
//! list from the right, starting at the peer, while the hops are trusted proxies; the first
//! hop that is not one is the client. Headers from a peer that is not a trusted proxy are
//! ignored altogether.

use crate::config::ServerConfig;
use crate::web::AppState;
use actix_web::body::MessageBody;
use actix_web::cookie::Cookie;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{web, HttpRequest};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// An address range: an address and how many leading bits of it count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpNet {
    addr: IpAddr,
    prefix: u8,
}

impl IpNet {
    /// `10.0.0.1`, `10.0.0.0/8`, `::1`, `fd00::/8`. Bits after the prefix are ignored
    /// (`10.1.2.3/8` is `10.0.0.0/8`).
    pub fn parse(s: &str) -> Result<IpNet, String> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = addr.parse().map_err(|_| {
            format!(
                "{s:?} is not an IP address or CIDR range (e.g. 10.0.0.1, 10.0.0.0/8, fd00::/8)"
            )
        })?;
        let max: u8 = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => match p.parse::<u8>() {
                Ok(n) if n <= max && !p.starts_with('+') => n,
                _ => {
                    return Err(format!(
                        "{s:?}: the prefix length after / must be a number from 0 to {max}"
                    ))
                }
            },
        };
        // An IPv4 address written the IPv6 way (`::ffff:10.0.0.0/104`) is an IPv4 range.
        let (addr, prefix) = match addr.to_canonical() {
            IpAddr::V4(v4) if addr.is_ipv6() => match prefix.checked_sub(96) {
                Some(p) => (IpAddr::V4(v4), p),
                None => {
                    return Err(format!(
                        "{s:?}: an IPv4-mapped range needs a prefix of at least 96"
                    ))
                }
            },
            other => (other, prefix),
        };
        Ok(IpNet {
            addr: mask(addr, prefix),
            prefix,
        })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        ip.is_ipv4() == self.addr.is_ipv4() && mask(ip, self.prefix) == self.addr
    }
}

impl std::fmt::Display for IpNet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

/// What per-address limits (log-ins, public complaints) count an address by: an IPv4 address as it is, an IPv6
/// address by its /64 network (`2001:db8:1:2::/64`). Anything else (no address known) as
/// it is.
pub fn address_key(ip: &str) -> String {
    match ip.parse::<IpAddr>().map(|a| a.to_canonical()) {
        Ok(IpAddr::V4(v4)) => v4.to_string(),
        Ok(v6 @ IpAddr::V6(_)) => format!("{}/64", mask(v6, 64)),
        Err(_) => ip.chars().take(64).collect(),
    }
}

/// `ip` with every bit after the first `prefix` cleared.
pub fn mask(ip: IpAddr, prefix: u8) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => {
            let bits = u32::from(v4);
            let keep = u32::MAX
                .checked_shl(32 - u32::from(prefix.min(32)))
                .unwrap_or(0);
            IpAddr::V4(Ipv4Addr::from(bits & keep))
        }
        IpAddr::V6(v6) => {
            let bits = u128::from(v6);
            let keep = u128::MAX
                .checked_shl(128 - u32::from(prefix.min(128)))
                .unwrap_or(0);
            IpAddr::V6(Ipv6Addr::from(bits & keep))
        }
    }
}

/// The proxies whose forwarding headers are believed.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Every entry, or the first that is not an address or range.
    pub fn parse<S: AsRef<str>>(entries: &[S]) -> Result<TrustedProxies, String> {
        entries
            .iter()
            .map(|e| IpNet::parse(e.as_ref()))
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }

    /// `server.trusted_proxies`, plus the loopback addresses when the deprecated
    /// `server.trust_forwarded_for` is on (a proxy on the same machine: what it was used for).
    pub fn from_config(server: &ServerConfig) -> Result<TrustedProxies, String> {
        let mut list = Self::parse(&server.trusted_proxies)
            .map_err(|e| format!("server.trusted_proxies: {e}"))?;
        if server.trust_forwarded_for {
            for loopback in ["127.0.0.0/8", "::1"] {
                list.0.push(IpNet::parse(loopback)?);
            }
        }
        Ok(list)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|n| n.contains(ip))
    }

    /// The client's address, given the peer and the `X-Forwarded-For` entries in order
    /// (leftmost first; several headers are one list, in the order they came). Walks from
    /// the peer leftwards while the addresses are trusted proxies; the first that is not is
    /// the client. An entry that is not an address stops the walk at the last trusted proxy:
    /// anything left of it is the client's word, and the proxy is all we know.
    pub fn client_address<'a>(
        &self,
        peer: IpAddr,
        forwarded_for: impl DoubleEndedIterator<Item = &'a str>,
    ) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.trusts(peer) {
            return peer;
        }
        let mut nearest = peer;
        for hop in forwarded_for.rev() {
            let hop = hop.trim();
            if hop.is_empty() {
                continue;
            }
            let Some(ip) = parse_hop(hop) else {
                return nearest;
            };
            if !self.trusts(ip) {
                return ip;
            }
            nearest = ip;
        }
        nearest
    }
}

/// One `X-Forwarded-For` entry: `203.0.113.7`, `203.0.113.7:51234`, `2001:db8::1`,
/// `[2001:db8::1]` or `[2001:db8::1]:51234`.
pub fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    if let Some(rest) = hop.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        if !(after.is_empty() || after.strip_prefix(':').is_some_and(is_port)) {
            return None;
        }
        return inside
            .parse::<Ipv6Addr>()
            .ok()
            .map(|v6| IpAddr::V6(v6).to_canonical());
    }
    let (v4, port) = hop.split_once(':')?;
    if !is_port(port) {
        return None;
    }
    v4.parse::<Ipv4Addr>().ok().map(IpAddr::V4)
}

fn is_port(s: &str) -> bool {
    !s.is_empty() && s.len() <= 5 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Where a request came from, as far as we can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    /// The client's address (`None` when the connection has no peer address, as in tests
    /// that call handlers directly).
    pub client: Option<IpAddr>,
    /// A trusted proxy said the client used HTTPS.
    pub https: bool,
}

/// The origin of a request, given the trusted proxies.
pub fn origin(req: &HttpRequest, proxies: &TrustedProxies) -> Origin {
    let Some(peer) = req.peer_addr().map(|a| a.ip().to_canonical()) else {
        return Origin {
            client: None,
            https: false,
        };
    };
    if !proxies.trusts(peer) {
        return Origin {
            client: Some(peer),
            https: false,
        };
    }
    let headers = req.headers();
    // A header that is not text cannot be read as a list: treat it as one unreadable entry.
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .flat_map(|v| match v.to_str() {
            Ok(s) => s.split(',').collect::<Vec<_>>(),
            Err(_) => vec!["?"],
        })
        .collect();
    let client = proxies.client_address(peer, hops.into_iter());
    // The proxy that met the client says how: the first entry (proxies behind it append).
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .is_some_and(|p| p.trim().eq_ignore_ascii_case("https"));
    Origin {
        client: Some(client),
        https,
    }
}

/// The request's [`Origin`] with the app's trusted proxies.
pub fn request_origin(req: &HttpRequest) -> Origin {
    match req.app_data::<web::Data<AppState>>() {
        Some(state) => origin(req, &state.proxies),
        None => origin(req, &TrustedProxies::default()),
    }
}

/// The middleware (wrapped with `actix_web::middleware::from_fn` around the session
/// middleware): when a trusted proxy says the client came over HTTPS, every cookie the
/// response sets is marked `Secure` and `Strict-Transport-Security` is added.
pub async fn secure_over_https(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let https = request_origin(req.request()).https;
    let max_age = req
        .app_data::<web::Data<AppState>>()
        .map(|s| s.config.server.hsts_max_age_seconds)
        .unwrap_or(0);
    let mut res = next.call(req).await?;
    if https {
        let headers = res.headers_mut();
        let cookies: Vec<HeaderValue> = headers.get_all(header::SET_COOKIE).cloned().collect();
        if !cookies.is_empty() {
            headers.remove(header::SET_COOKIE);
            for raw in cookies {
                let secured = raw
                    .to_str()
                    .ok()
                    .and_then(|s| Cookie::parse(s.to_string()).ok())
                    .and_then(|mut c| {
                        c.set_secure(true);
                        HeaderValue::from_str(&c.to_string()).ok()
                    });
                headers.append(header::SET_COOKIE, secured.unwrap_or(raw));
            }
        }
        if max_age > 0 {
            if let Ok(v) = HeaderValue::from_str(&format!("max-age={max_age}")) {
                headers.insert(header::STRICT_TRANSPORT_SECURITY, v);
            }
        }
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn proxies(list: &[&str]) -> TrustedProxies {
        TrustedProxies::parse(list).unwrap()
    }

    fn walk(p: &TrustedProxies, peer: &str, xff: &str) -> String {
        p.client_address(ip(peer), xff.split(',')).to_string()
    }

    #[test]
    fn ranges_parse_and_match() {
        let n = IpNet::parse("10.0.0.0/8").unwrap();
        assert!(n.contains(ip("10.255.1.2")));
        assert!(!n.contains(ip("11.0.0.1")));
        assert!(
            !n.contains(ip("::1")),
            "an IPv4 range holds no IPv6 address"
        );
        assert_eq!(IpNet::parse("10.1.2.3/8").unwrap(), n, "host bits ignored");
        let one = IpNet::parse(" 192.0.2.10 ").unwrap();
        assert!(one.contains(ip("192.0.2.10")) && !one.contains(ip("192.0.2.11")));
        let v6 = IpNet::parse("2001:db8:aa::/48").unwrap();
        assert!(v6.contains(ip("2001:db8:aa:ffff::1")));
        assert!(!v6.contains(ip("2001:db8:ab::1")));
        assert!(IpNet::parse("::/0").unwrap().contains(ip("2001:db8::1")));
        assert!(IpNet::parse("0.0.0.0/0").unwrap().contains(ip("8.8.8.8")));
        // an IPv4 address as it arrives on a dual-stack socket
        assert!(n.contains(ip("::ffff:10.0.0.9")));
        let mapped = IpNet::parse("::ffff:10.0.0.0/104").unwrap();
        assert_eq!(mapped, n, "an IPv4-mapped range is the IPv4 range");
        assert!(IpNet::parse("::ffff:10.0.0.0/8").is_err());
    }

    #[test]
    fn bad_ranges_say_what_is_wrong() {
        for bad in [
            "",
            "10.0.0",
            "10.0.0.0/33",
            "fd00::/129",
            "10.0.0.0/x",
            "10.0.0.0/+8",
            "proxy.local",
        ] {
            let e = IpNet::parse(bad).unwrap_err();
            assert!(e.contains(bad.trim()) || e.contains("prefix"), "{bad}: {e}");
        }
        let e = TrustedProxies::parse(&["10.0.0.1", "10.0.0.300"]).unwrap_err();
        assert!(e.contains("10.0.0.300"), "{e}");
    }

    #[test]
    fn hops_with_and_without_ports() {
        assert_eq!(parse_hop("203.0.113.7"), Some(ip("203.0.113.7")));
        assert_eq!(parse_hop("203.0.113.7:51234"), Some(ip("203.0.113.7")));
        assert_eq!(parse_hop("2001:db8::1"), Some(ip("2001:db8::1")));
        assert_eq!(parse_hop("[2001:db8::1]"), Some(ip("2001:db8::1")));
        assert_eq!(parse_hop("[2001:db8::1]:443"), Some(ip("2001:db8::1")));
        assert_eq!(parse_hop("::ffff:198.51.100.1"), Some(ip("198.51.100.1")));
        for bad in [
            "unknown",
            "",
            "203.0.113.7:",
            "203.0.113.7:http",
            "[2001:db8::1]x",
            "[1.2.3.4]",
            "_hidden",
        ] {
            assert_eq!(parse_hop(bad), None, "{bad}");
        }
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_says() {
        let p = proxies(&["10.0.0.1"]);
        assert_eq!(walk(&p, "198.51.100.9", "1.2.3.4"), "198.51.100.9");
        assert_eq!(
            walk(&TrustedProxies::default(), "127.0.0.1", "1.2.3.4"),
            "127.0.0.1"
        );
    }

    #[test]
    fn spoofed_leftmost_entries_are_ignored() {
        let p = proxies(&["10.0.0.1"]);
        // the client sent "1.2.3.4, 5.6.7.8"; the proxy appended the address it saw
        assert_eq!(
            walk(&p, "10.0.0.1", "1.2.3.4, 5.6.7.8, 198.51.100.9"),
            "198.51.100.9"
        );
        assert_eq!(walk(&p, "10.0.0.1", "198.51.100.9"), "198.51.100.9");
        // the client tried to pass as the proxy itself: still the hop the proxy added
        assert_eq!(
            walk(&p, "10.0.0.1", "10.0.0.1, 198.51.100.9"),
            "198.51.100.9"
        );
    }

    #[test]
    fn chains_of_proxies_are_walked_from_the_peer() {
        // CDN (192.0.2.0/24) -> load balancer (10.0.0.0/8) -> app
        let p = proxies(&["10.0.0.0/8", "192.0.2.0/24"]);
        assert_eq!(
            walk(
                &p,
                "10.1.1.1",
                "6.6.6.6, 198.51.100.9, 192.0.2.44, 10.2.2.2"
            ),
            "198.51.100.9"
        );
        // a hop of the chain that is not trusted ends the walk, even if trusted ones are left of it
        assert_eq!(
            walk(&p, "10.1.1.1", "192.0.2.1, 203.0.113.5, 10.2.2.2"),
            "203.0.113.5"
        );
        // only proxies: the farthest one
        assert_eq!(walk(&p, "10.1.1.1", "192.0.2.44, 10.2.2.2"), "192.0.2.44");
        // no header: the peer
        assert_eq!(
            p.client_address(ip("10.1.1.1"), std::iter::empty())
                .to_string(),
            "10.1.1.1"
        );
        // a blank entry (a trailing comma) is skipped
        assert_eq!(walk(&p, "10.1.1.1", "198.51.100.9, "), "198.51.100.9");
    }

    #[test]
    fn garbage_stops_at_the_last_trusted_proxy() {
        let p = proxies(&["10.0.0.0/8"]);
        assert_eq!(walk(&p, "10.0.0.1", "198.51.100.9, unknown"), "10.0.0.1");
        assert_eq!(
            walk(&p, "10.0.0.1", "198.51.100.9, nonsense, 10.0.0.2"),
            "10.0.0.2"
        );
    }

    #[test]
    fn ipv6_proxies_and_clients() {
        let p = proxies(&["fd00::/8", "::1"]);
        assert_eq!(walk(&p, "::1", "2001:db8::7, fd00::2"), "2001:db8::7");
        assert_eq!(walk(&p, "fd12::1", "[2001:db8::7]:5000"), "2001:db8::7");
        assert_eq!(
            walk(&p, "fd12::1", "2001:db8::7, 198.51.100.9"),
            "198.51.100.9"
        );
        // an IPv4 peer on a dual-stack socket, trusted by its IPv4 range
        let p4 = proxies(&["127.0.0.1"]);
        assert_eq!(walk(&p4, "::ffff:127.0.0.1", "2001:db8::7"), "2001:db8::7");
    }

    #[test]
    fn the_old_switch_means_loopback_only() {
        let mut c = crate::config::Config::defaults().server;
        c.trust_forwarded_for = true;
        let p = TrustedProxies::from_config(&c).unwrap();
        assert!(p.trusts(ip("127.0.0.1")) && p.trusts(ip("::1")));
        assert!(!p.trusts(ip("10.0.0.1")));
        c.trust_forwarded_for = false;
        assert!(TrustedProxies::from_config(&c).unwrap().is_empty());
    }
}
