//! The SMS provider adapters (`msg91`, `exotel`, `http`) against a local HTTP server that
//! checks each request as the provider's documentation gives it and answers as the provider
//! does: success, a documented rejection, a 5xx, a timeout. Then each provider's delivery
//! reports in their documented shapes. No database is involved.

use base64::Engine;
use paani::config::Secret;
use paani::sms::providers::{
    build, Callback, DeliveryReport, DeliveryStatus, Dlt, OutgoingSms, ProviderSettings, SendError,
    SmsTransport,
};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A Hindi receipt, with the characters that need escaping in JSON and in forms.
const HINDI: &str = "रसीद 12: ₹150 जमा, बाकी ₹0 & धन्यवाद";
/// `HINDI` as `application/x-www-form-urlencoded` writes it (UTF-8, percent-encoded, `+`
/// for a space), worked out independently of the code under test.
const HINDI_FORM: &str = "%E0%A4%B0%E0%A4%B8%E0%A5%80%E0%A4%A6+12%3A+%E2%82%B9150+%E0%A4%9C%E0%A4%AE%E0%A4%BE%2C+%E0%A4%AC%E0%A4%BE%E0%A4%95%E0%A5%80+%E2%82%B90+%26+%E0%A4%A7%E0%A4%A8%E0%A5%8D%E0%A4%AF%E0%A4%B5%E0%A4%BE%E0%A4%A6";
/// `HINDI` percent-encoded for a URL (`%20` for a space).
const HINDI_URL: &str = "%E0%A4%B0%E0%A4%B8%E0%A5%80%E0%A4%A6%2012%3A%20%E2%82%B9150%20%E0%A4%9C%E0%A4%AE%E0%A4%BE%2C%20%E0%A4%AC%E0%A4%BE%E0%A4%95%E0%A5%80%20%E2%82%B90%20%26%20%E0%A4%A7%E0%A4%A8%E0%A5%8D%E0%A4%AF%E0%A4%B5%E0%A4%BE%E0%A4%A6";

const MSG91_KEY: &str = "msg91-auth-key-0123456789";
const EXOTEL_TOKEN: &str = "exotel-token-abcdef";
const HTTP_SECRET: &str = "generic-secret-987654";

/// What the server saw.
#[derive(Debug)]
struct Seen {
    method: String,
    /// Path and query as sent.
    target: String,
    /// Names lower-cased.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
    fn body_text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("the body is UTF-8")
    }
}

/// A one-request HTTP server: reads the request, waits `delay`, answers `status` with `body`.
struct Server {
    base_url: String,
    handle: JoinHandle<Seen>,
}

impl Server {
    fn start(status: u16, content_type: &str, body: &str, delay: Duration) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let content_type = content_type.to_string();
        let body = body.to_string();
        let handle = std::thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(10)))
                .unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let mut parts = line.trim_end().splitn(3, ' ');
            let method = parts.next().unwrap().to_string();
            let target = parts.next().unwrap().to_string();
            let mut headers = Vec::new();
            loop {
                let mut header = String::new();
                reader.read_line(&mut header).unwrap();
                let header = header.trim_end();
                if header.is_empty() {
                    break;
                }
                let (name, value) = header.split_once(':').unwrap();
                headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
            }
            let length: usize = headers
                .iter()
                .find(|(n, _)| n == "content-length")
                .map(|(_, v)| v.parse().unwrap())
                .unwrap_or(0);
            assert!(
                !headers.iter().any(|(n, _)| n == "transfer-encoding"),
                "the body is sent with its length"
            );
            let mut request_body = vec![0; length];
            reader.read_exact(&mut request_body).unwrap();
            std::thread::sleep(delay);
            let mut stream = stream;
            let reason = match status {
                200 => "OK",
                400 => "Bad Request",
                401 => "Unauthorized",
                403 => "Forbidden",
                404 => "Not Found",
                429 => "Too Many Requests",
                500 => "Internal Server Error",
                _ => "Whatever",
            };
            // The client may have gone (a timeout): a failed write is fine.
            let _ = write!(
                stream,
                "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.flush();
            Seen {
                method,
                target,
                headers,
                body: request_body,
            }
        });
        Server { base_url, handle }
    }

    fn json(status: u16, body: &str) -> Server {
        Server::start(status, "application/json", body, Duration::ZERO)
    }

    fn seen(self) -> Seen {
        self.handle.join().expect("the server thread")
    }
}

fn dlt() -> Dlt {
    Dlt {
        entity_id: "1201159876543210987".into(),
        sender_id: "PAANIG".into(),
    }
}

fn hindi_receipt() -> OutgoingSms {
    OutgoingSms {
        outbox_id: 42,
        to: "919812345678".into(),
        text: HINDI.into(),
        unicode: true,
        dlt_template_id: "1207161234567890123".into(),
        key: "receipt".into(),
        variables: vec!["12".into(), "₹150".into(), "\"बाकी\" ₹0".into()],
        provider_template_id: Some("65f1c0ffee0123456789abcd".into()),
    }
}

fn msg91(base_url: &str, timeout_seconds: u64) -> Box<dyn SmsTransport> {
    let mut settings = ProviderSettings {
        timeout_seconds,
        ..Default::default()
    };
    settings.msg91.base_url = base_url.into();
    settings.msg91.auth_key = Secret::new(MSG91_KEY);
    build("msg91", &settings).unwrap()
}

fn exotel(base_url: &str, timeout_seconds: u64) -> Box<dyn SmsTransport> {
    let mut settings = ProviderSettings {
        timeout_seconds,
        ..Default::default()
    };
    settings.exotel.base_url = base_url.into();
    settings.exotel.account_sid = "paani1".into();
    settings.exotel.api_key = "exotel-key".into();
    settings.exotel.api_token = Secret::new(EXOTEL_TOKEN);
    settings.exotel.status_callback_url =
        Secret::new("https://paani.example/hooks/sms/exotel/delivery?secret=cb-secret");
    build("exotel", &settings).unwrap()
}

/// Runs `send` against a server that sleeps past the timeout: the try fails, retryable,
/// in about the timeout.
fn assert_times_out(make: impl Fn(&str) -> Box<dyn SmsTransport>, secret: &str) {
    let server = Server::start(200, "application/json", "{}", Duration::from_millis(2500));
    let transport = make(&server.base_url);
    let started = Instant::now();
    let error = transport.send(&hindi_receipt(), &dlt()).unwrap_err();
    let took = started.elapsed();
    assert!(error.retryable, "{error:?}");
    assert!(error.message.contains("no answer after 1 s"), "{error:?}");
    assert!(!error.message.contains(secret));
    assert!(took < Duration::from_millis(2400), "took {took:?}");
    server.seen();
}

/// Send the Hindi receipt through the transport `make` builds for `server`, which must refuse
/// it: the error, once the server has seen the request.
fn failure(server: Server, make: impl Fn(&str) -> Box<dyn SmsTransport>) -> SendError {
    let error = make(&server.base_url)
        .send(&hindi_receipt(), &dlt())
        .unwrap_err();
    server.seen();
    error
}

fn refused_port() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    url
}

fn form_callback(body: &str) -> Callback {
    Callback {
        query: vec![],
        content_type: "application/x-www-form-urlencoded".into(),
        body: body.as_bytes().to_vec(),
    }
}

fn json_callback(body: &str) -> Callback {
    Callback {
        query: vec![],
        content_type: "application/json".into(),
        body: body.as_bytes().to_vec(),
    }
}

fn report(id: &str, status: DeliveryStatus, detail: Option<&str>) -> DeliveryReport {
    DeliveryReport {
        provider_id: id.into(),
        status,
        detail: detail.map(str::to_string),
    }
}

// ---------------------------------------------------------------- MSG91

#[test]
fn msg91_sends_the_flow_request_as_documented() {
    let server = Server::json(
        200,
        r#"{"message":"3763646c3058373530393138","type":"success"}"#,
    );
    let accepted = msg91(&server.base_url, 5)
        .send(&hindi_receipt(), &dlt())
        .unwrap();
    assert_eq!(accepted.provider_id, "3763646c3058373530393138");
    assert_eq!(accepted.cost_paise, None);

    let seen = server.seen();
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.target, "/api/v5/flow");
    assert_eq!(seen.header("authkey"), Some(MSG91_KEY));
    assert_eq!(seen.header("content-type"), Some("application/json"));
    assert_eq!(seen.header("accept"), Some("application/json"));
    let body: serde_json::Value = serde_json::from_slice(&seen.body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({
            "template_id": "65f1c0ffee0123456789abcd",
            "short_url": "0",
            "sender": "PAANIG",
            "unicode": 1,
            "recipients": [{
                "mobiles": "919812345678",
                "var1": "12",
                "var2": "₹150",
                "var3": "\"बाकी\" ₹0",
            }],
        })
    );
    // Hindi goes as UTF-8 in the JSON, the quotes escaped.
    let raw = seen.body_text();
    assert!(raw.contains(r#""var3":"\"बाकी\" ₹0""#), "{raw}");
}

#[test]
fn msg91_english_is_not_unicode_and_the_prefix_is_configurable() {
    let server = Server::json(200, r#"{"type":"success","message":"abc123"}"#);
    let mut settings = ProviderSettings::default();
    settings.msg91.base_url = format!("{}/", server.base_url);
    settings.msg91.auth_key = Secret::new(MSG91_KEY);
    settings.msg91.variable_prefix = "VAR".into();
    let transport = build("msg91", &settings).unwrap();
    let mut sms = hindi_receipt();
    sms.text = "Receipt 12: Rs 150 paid".into();
    sms.unicode = false;
    sms.variables = vec!["12".into(), "150".into()];
    transport.send(&sms, &dlt()).unwrap();
    let body: serde_json::Value = serde_json::from_slice(&server.seen().body).unwrap();
    assert_eq!(body["unicode"], 0);
    assert_eq!(
        body["recipients"],
        serde_json::json!([{"mobiles": "919812345678", "VAR1": "12", "VAR2": "150"}])
    );
}

#[test]
fn msg91_documented_rejections_are_not_retried() {
    // The documented error shape, with 200 as MSG91 sends it.
    let server = Server::json(
        200,
        r#"{"message":"Template ID Missing or Invalid Template","type":"error"}"#,
    );
    let error = failure(server, |url| msg91(url, 5));
    assert!(!error.retryable);
    assert_eq!(
        error.message,
        "MSG91 refused the message: Template ID Missing or Invalid Template"
    );

    // A bad key: 401.
    let server = Server::json(
        401,
        &format!(r#"{{"message":"Authentication failure for {MSG91_KEY}","type":"error"}}"#),
    );
    let error = failure(server, |url| msg91(url, 5));
    assert!(!error.retryable);
    assert!(error
        .message
        .starts_with("MSG91 answered HTTP 401: Authentication failure"));
    assert!(!error.message.contains(MSG91_KEY), "{}", error.message);

    // An address not on the key's whitelist: 418 (MSG91's API security).
    let server = Server::start(
        418,
        "application/json",
        r#"{"type":"error","message":"IP not whitelisted"}"#,
        Duration::ZERO,
    );
    let error = failure(server, |url| msg91(url, 5));
    assert!(!error.retryable);
    assert!(error.message.contains("418"));
}

#[test]
fn msg91_server_errors_timeouts_and_refused_connections_are_retried() {
    let server = Server::start(500, "text/html", "<html>oops</html>", Duration::ZERO);
    let error = failure(server, |url| msg91(url, 5));
    assert!(error.retryable);
    assert_eq!(error.message, "MSG91 answered HTTP 500: <html>oops</html>");

    let server = Server::json(429, r#"{"type":"error","message":"Too many requests"}"#);
    let error = failure(server, |url| msg91(url, 5));
    assert!(error.retryable);

    assert_times_out(|url| msg91(url, 1), MSG91_KEY);

    let error = msg91(&refused_port(), 5)
        .send(&hindi_receipt(), &dlt())
        .unwrap_err();
    assert!(error.retryable);
    assert!(
        error.message.starts_with("MSG91: the connection"),
        "{}",
        error.message
    );
}

#[test]
fn msg91_without_its_template_id_is_not_sent() {
    // Nothing listens here: a request would fail differently.
    let transport = msg91(&refused_port(), 5);
    let mut sms = hindi_receipt();
    sms.provider_template_id = None;
    let error = transport.send(&sms, &dlt()).unwrap_err();
    assert!(!error.retryable);
    assert!(
        error.message.contains("provider_template_id"),
        "{}",
        error.message
    );
}

#[test]
fn msg91_an_answer_without_a_request_id_is_not_retried() {
    let server = Server::json(200, r#"{"type":"success"}"#);
    let error = failure(server, |url| msg91(url, 5));
    assert!(!error.retryable);
    assert!(
        error.message.contains("may have been sent"),
        "{}",
        error.message
    );
}

#[test]
fn msg91_delivery_reports_in_the_documented_shapes() {
    let transport = msg91("https://control.msg91.com", 5);

    // Webhook v2: a form with one field, data, a JSON text.
    let data = r#"[{"senderId":"PAANIG","requestId":"3763646c3058373530393138","report":[{"date":"2026-12-07 10:06:20","amount":"0.01","clientid":"","INMSID":"0","CRQID":"0","ctCode":"900","number":"919812345678","credit":"1","status":"1","desc":"DELIVERED","failedReason":""}],"userId":"27001","campaignName":"API"},{"senderId":"PAANIG","requestId":"3763646c3058373530393139","report":[{"date":"2026-12-07 10:06:21","number":"919812345679","status":"17","desc":"BLOCKED","failedReason":"Number blocked"}],"userId":"27001","campaignName":"API"}]"#;
    let body = serde_urlencoded::to_string([("data", data)]).unwrap();
    assert_eq!(
        transport.delivery_reports(&form_callback(&body)).unwrap(),
        vec![
            report("3763646c3058373530393138", DeliveryStatus::Delivered, None),
            report(
                "3763646c3058373530393139",
                DeliveryStatus::Failed,
                Some("BLOCKED: Number blocked")
            ),
        ]
    );

    // The same as a GET's query.
    let get = Callback {
        query: vec![("data".into(), data.into())],
        content_type: String::new(),
        body: vec![],
    };
    assert_eq!(transport.delivery_reports(&get).unwrap().len(), 2);

    // Webhook v3: one JSON object.
    let v3 = r#"{"date":"2026-12-07 09:58:16","number":"919812345678","senderId":"PAANIG","amount":"0.01","requestId":"346a","INMSID":"0","CRQID":"0","credit":"1","userId":"27001","campaignName":"API","status":"2","desc":"FAILED"}"#;
    assert_eq!(
        transport.delivery_reports(&json_callback(v3)).unwrap(),
        vec![report("346a", DeliveryStatus::Failed, Some("FAILED"))]
    );

    // The new webhook's JSON, with a status not in the documented list: pending.
    let new = r#"{"requestId":"346b","requestedAt":"2026-12-07 09:58:10","status":"8","deliveryTime":"","telNum":"919812345678","credit":"1","senderId":"PAANIG","failureReason":""}"#;
    assert_eq!(
        transport.delivery_reports(&json_callback(new)).unwrap(),
        vec![report("346b", DeliveryStatus::Pending, None)]
    );

    // Unreadable reports are errors (answered 400 by the route).
    assert!(transport
        .delivery_reports(&json_callback("{not json"))
        .is_err());
    assert!(transport
        .delivery_reports(&json_callback(r#"{"status":"1"}"#))
        .is_err());
    assert!(transport.delivery_reports(&form_callback("")).is_err());
}

// ---------------------------------------------------------------- Exotel

#[test]
fn exotel_sends_the_form_as_documented() {
    let server = Server::json(
        200,
        r#"{"SMSMessage":{"Sid":"b6c6a98f32682862ce6edf1bdab3526f","AccountSid":"paani1","From":"PAANIG","To":"+919812345678","DateCreated":"2026-12-07 14:14:20","DateUpdated":"2026-12-07 14:14:20","DateSent":null,"Body":"…","Direction":"outbound-api","Uri":"/v1/Accounts/paani1/SMS/Messages/b6c6a98f32682862ce6edf1bdab3526f.json","ApiVersion":null,"Price":"0.180000","Status":"queued","DetailedStatusCode":21010,"DetailedStatus":"PENDING_TO_OPERATOR"}}"#,
    );
    let accepted = exotel(&server.base_url, 5)
        .send(&hindi_receipt(), &dlt())
        .unwrap();
    assert_eq!(accepted.provider_id, "b6c6a98f32682862ce6edf1bdab3526f");
    assert_eq!(accepted.cost_paise, Some(18));

    let seen = server.seen();
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.target, "/v1/Accounts/paani1/Sms/send.json");
    let basic =
        base64::engine::general_purpose::STANDARD.encode(format!("exotel-key:{EXOTEL_TOKEN}"));
    assert_eq!(
        seen.header("authorization"),
        Some(format!("Basic {basic}").as_str())
    );
    assert_eq!(
        seen.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let expected = format!(
        "From=PAANIG&To=%2B919812345678&Body={HINDI_FORM}&EncodingType=unicode\
         &SmsType=transactional&DltEntityId=1201159876543210987\
         &DltTemplateId=1207161234567890123&CustomField=42\
         &StatusCallback=https%3A%2F%2Fpaani.example%2Fhooks%2Fsms%2Fexotel%2Fdelivery%3Fsecret%3Dcb-secret"
    );
    assert_eq!(seen.body_text(), expected);
}

#[test]
fn exotel_plain_text_goes_as_plain() {
    let server = Server::json(
        200,
        r#"{"SMSMessage":{"Sid":"s1","Status":"queued","Price":null}}"#,
    );
    let mut settings = ProviderSettings::default();
    settings.exotel.base_url = server.base_url.clone();
    settings.exotel.account_sid = "paani1".into();
    settings.exotel.api_key = "exotel-key".into();
    settings.exotel.api_token = Secret::new(EXOTEL_TOKEN);
    settings.exotel.sms_type = "transactional_opt_in".into();
    let transport = build("exotel", &settings).unwrap();
    let mut sms = hindi_receipt();
    sms.text = "Receipt 12: Rs 150".into();
    sms.unicode = false;
    let accepted = transport.send(&sms, &dlt()).unwrap();
    assert_eq!(accepted.cost_paise, None);
    let body = server.seen().body_text();
    assert_eq!(
        body,
        "From=PAANIG&To=%2B919812345678&Body=Receipt+12%3A+Rs+150&EncodingType=plain\
         &SmsType=transactional_opt_in&DltEntityId=1201159876543210987\
         &DltTemplateId=1207161234567890123&CustomField=42"
    );
}

#[test]
fn exotel_documented_rejections_are_not_retried() {
    let server = Server::json(
        400,
        r#"{"RestException":{"Status":400,"Message":"Invalid Recipient [919812345678]"}}"#,
    );
    let error = failure(server, |url| exotel(url, 5));
    assert!(!error.retryable);
    assert_eq!(
        error.message,
        "Exotel answered HTTP 400: Invalid Recipient [919812345678]"
    );

    // The XML form of the same.
    let server = Server::start(
        403,
        "application/xml",
        "<TwilioResponse><RestException><Status>403</Status><Message>Insufficient balance to send the SMS</Message></RestException></TwilioResponse>",
        Duration::ZERO,
    );
    let error = failure(server, |url| exotel(url, 5));
    assert!(!error.retryable);
    assert_eq!(
        error.message,
        "Exotel answered HTTP 403: Insufficient balance to send the SMS"
    );
    assert!(!error.message.contains(EXOTEL_TOKEN));
}

#[test]
fn exotel_server_errors_rate_limits_and_timeouts_are_retried() {
    let server = Server::json(
        500,
        r#"{"RestException":{"Status":500,"Message":"Internal Server Error"}}"#,
    );
    let error = failure(server, |url| exotel(url, 5));
    assert!(error.retryable);
    assert_eq!(
        error.message,
        "Exotel answered HTTP 500: Internal Server Error"
    );

    let server = Server::json(
        429,
        r#"{"RestException":{"Status":429,"Message":"Too Many Requests"}}"#,
    );
    let error = failure(server, |url| exotel(url, 5));
    assert!(error.retryable);

    assert_times_out(|url| exotel(url, 1), EXOTEL_TOKEN);
}

#[test]
fn exotel_status_callbacks_as_documented() {
    let transport = exotel("https://api.in.exotel.com", 5);
    let sent = "SmsSid=b6c6a98f32682862ce6edf1bdab3526f&To=%2B919812345678&Status=sent\
                &SmsUnits=2&DetailedStatus=DELIVERED_TO_HANDSET&DetailedStatusCode=20005\
                &DateSent=2026-12-07+14%3A14%3A32&CustomField=42";
    assert_eq!(
        transport.delivery_reports(&form_callback(sent)).unwrap(),
        vec![report(
            "b6c6a98f32682862ce6edf1bdab3526f",
            DeliveryStatus::Delivered,
            None
        )]
    );
    let dnd = "SmsSid=s2&To=%2B919812345678&Status=failed_dnd&SmsUnits=1\
               &DetailedStatus=FAILED_DND&DetailedStatusCode=30006&DateSent=&CustomField=43";
    assert_eq!(
        transport.delivery_reports(&form_callback(dnd)).unwrap(),
        vec![report(
            "s2",
            DeliveryStatus::Failed,
            Some("failed_dnd: FAILED_DND (30006)")
        )]
    );
    let failed = "SmsSid=s3&Status=failed&DetailedStatus=INVALID_NUMBER";
    assert_eq!(
        transport.delivery_reports(&form_callback(failed)).unwrap(),
        vec![report(
            "s3",
            DeliveryStatus::Failed,
            Some("failed: INVALID_NUMBER")
        )]
    );
    let submitted = "SmsSid=s4&Status=submitted";
    assert_eq!(
        transport
            .delivery_reports(&form_callback(submitted))
            .unwrap(),
        vec![report("s4", DeliveryStatus::Pending, Some("submitted"))]
    );
    // The same fields in a GET's query.
    let get = Callback {
        query: vec![
            ("SmsSid".into(), "s5".into()),
            ("Status".into(), "sent".into()),
        ],
        content_type: String::new(),
        body: vec![],
    };
    assert_eq!(
        transport.delivery_reports(&get).unwrap(),
        vec![report("s5", DeliveryStatus::Delivered, None)]
    );
    assert!(transport
        .delivery_reports(&form_callback("Status=sent"))
        .is_err());
    assert!(transport
        .delivery_reports(&form_callback("SmsSid=s6"))
        .is_err());
}

// ---------------------------------------------------------------- the generic HTTP template

fn http_settings(base_url: &str) -> ProviderSettings {
    let mut settings = ProviderSettings {
        timeout_seconds: 5,
        ..Default::default()
    };
    settings.http.url = format!("{base_url}/v2/sms");
    settings.http.method = "POST".into();
    settings.http.content_type = "application/json".into();
    settings.http.headers = vec![
        ("Authorization".into(), "Bearer {{secret}}".into()),
        ("X-Sender".into(), "{{sender_id}}".into()),
    ];
    settings.http.body = r#"{"to":"{{to_e164}}","text":"{{text}}","unicode":{{unicode}},"dlt":{"pe":"{{entity_id}}","te":"{{dlt_template_id}}"},"ref":"{{outbox_id}}","v3":"{{var3}}","v9":"{{var9}}"}"#.into();
    settings.http.secret = Secret::new(HTTP_SECRET);
    settings.http.id_pointer = "/data/0/id".into();
    settings.http.error_pointer = "/error".into();
    settings
}

#[test]
fn http_template_fills_a_json_body() {
    let server = Server::json(
        200,
        r#"{"data":[{"id":"gen-77","status":"queued"}],"error":null}"#,
    );
    let transport = build("http", &http_settings(&server.base_url)).unwrap();
    let accepted = transport.send(&hindi_receipt(), &dlt()).unwrap();
    assert_eq!(accepted.provider_id, "gen-77");

    let seen = server.seen();
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.target, "/v2/sms");
    assert_eq!(
        seen.header("authorization"),
        Some(format!("Bearer {HTTP_SECRET}").as_str())
    );
    assert_eq!(seen.header("x-sender"), Some("PAANIG"));
    assert_eq!(seen.header("content-type"), Some("application/json"));
    let body: serde_json::Value = serde_json::from_slice(&seen.body).expect("valid JSON");
    assert_eq!(
        body,
        serde_json::json!({
            "to": "+919812345678",
            "text": HINDI,
            "unicode": 1,
            "dlt": {"pe": "1201159876543210987", "te": "1207161234567890123"},
            "ref": "42",
            "v3": "\"बाकी\" ₹0",
            "v9": "",
        })
    );
}

#[test]
fn http_template_fills_a_form_body() {
    let server = Server::json(200, r#"{"id":123456}"#);
    let mut settings = http_settings(&server.base_url);
    settings.http.content_type = "application/x-www-form-urlencoded".into();
    settings.http.body = "apikey={{secret}}&to={{to}}&message={{text}}&type={{encoding}}".into();
    settings.http.id_pointer = "/id".into();
    let transport = build("http", &settings).unwrap();
    let accepted = transport.send(&hindi_receipt(), &dlt()).unwrap();
    assert_eq!(accepted.provider_id, "123456");
    let seen = server.seen();
    assert_eq!(
        seen.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        seen.body_text(),
        format!("apikey={HTTP_SECRET}&to=919812345678&message={HINDI_FORM}&type=unicode")
    );
}

#[test]
fn http_template_fills_a_get_url() {
    let server = Server::json(200, r#"{"status":"ok","msgid":"m-1"}"#);
    let mut settings = http_settings(&server.base_url);
    settings.http.method = "get".into();
    settings.http.body = String::new();
    settings.http.headers = vec![];
    settings.http.url = format!(
        "{}/send?key={{{{secret}}}}&to={{{{to}}}}&msg={{{{text}}}}&tid={{{{dlt_template_id}}}}",
        server.base_url
    );
    settings.http.id_pointer = "/msgid".into();
    let transport = build("http", &settings).unwrap();
    assert_eq!(
        transport
            .send(&hindi_receipt(), &dlt())
            .unwrap()
            .provider_id,
        "m-1"
    );
    let seen = server.seen();
    assert_eq!(seen.method, "GET");
    assert_eq!(
        seen.target,
        format!("/send?key={HTTP_SECRET}&to=919812345678&msg={HINDI_URL}&tid=1207161234567890123")
    );
    assert!(seen.body.is_empty());
}

#[test]
fn http_template_rejections_and_retries() {
    // An error in a 200.
    let server = Server::json(200, r#"{"data":[],"error":"Invalid number"}"#);
    let error = failure(server, |url| build("http", &http_settings(url)).unwrap());
    assert!(!error.retryable);
    assert_eq!(
        error.message,
        "the SMS provider refused the message: Invalid number"
    );

    // A 4xx that echoes the secret: not retried, and the secret is not in the message.
    let server = Server::json(401, &format!(r#"{{"error":"bad key {HTTP_SECRET}"}}"#));
    let error = failure(server, |url| build("http", &http_settings(url)).unwrap());
    assert!(!error.retryable);
    assert_eq!(
        error.message,
        "the SMS provider answered HTTP 401: bad key ********"
    );

    // A 200 without the id: it may have gone, so not retried.
    let server = Server::json(200, r#"{"data":[]}"#);
    let error = failure(server, |url| build("http", &http_settings(url)).unwrap());
    assert!(!error.retryable);
    assert!(
        error.message.contains("without a message id at /data/0/id"),
        "{}",
        error.message
    );

    // 5xx: retried.
    let server = Server::start(503, "text/plain", "maintenance", Duration::ZERO);
    let error = failure(server, |url| build("http", &http_settings(url)).unwrap());
    assert!(error.retryable);
    assert_eq!(
        error.message,
        "the SMS provider answered HTTP 503: maintenance"
    );

    // A timeout, with the secret in the URL: retried, the secret nowhere.
    assert_times_out(
        |url| {
            let mut settings = http_settings(url);
            settings.timeout_seconds = 1;
            settings.http.url = format!("{url}/v2/sms?key={{{{secret}}}}");
            build("http", &settings).unwrap()
        },
        HTTP_SECRET,
    );
}

#[test]
fn http_template_without_an_id_pointer_uses_the_outbox_id() {
    let server = Server::start(202, "text/plain", "", Duration::ZERO);
    let mut settings = http_settings(&server.base_url);
    settings.http.id_pointer = String::new();
    let accepted = build("http", &settings)
        .unwrap()
        .send(&hindi_receipt(), &dlt())
        .unwrap();
    server.seen();
    assert_eq!(accepted.provider_id, "42");
}

#[test]
fn http_template_configuration_errors_are_found_when_built() {
    let mut settings = http_settings("https://sms.example");
    settings.http.body = r#"{"password":"{{password}}"}"#.into();
    let error = build("http", &settings).err().unwrap();
    assert!(error.contains("unknown slot {{password}}"), "{error}");

    let mut settings = http_settings("https://sms.example");
    settings.http.method = "PUT".into();
    assert!(build("http", &settings)
        .err()
        .unwrap()
        .contains("GET or POST"));

    let mut settings = http_settings("https://sms.example");
    settings.http.content_type = "text/xml".into();
    assert!(build("http", &settings)
        .err()
        .unwrap()
        .contains("content_type"));

    let mut settings = http_settings("https://sms.example");
    settings.http.url = String::new();
    assert!(build("http", &settings).is_err());

    // And the other transports' missing credentials.
    assert!(build("msg91", &ProviderSettings::default())
        .err()
        .unwrap()
        .contains("auth_key"));
    assert!(build("exotel", &ProviderSettings::default())
        .err()
        .unwrap()
        .contains("account_sid"));
    assert!(build("carrier-pigeon", &ProviderSettings::default())
        .err()
        .unwrap()
        .contains("unknown SMS transport"));
}

#[test]
fn http_template_delivery_reports_in_its_documented_form() {
    let transport = build("http", &http_settings("https://sms.example")).unwrap();
    assert_eq!(
        transport
            .delivery_reports(&json_callback(r#"{"id":"gen-77","status":"DELIVERED"}"#))
            .unwrap(),
        vec![report("gen-77", DeliveryStatus::Delivered, None)]
    );
    assert_eq!(
        transport
            .delivery_reports(&json_callback(
                r#"[{"id":"a","status":"undelivered","detail":"switched off"},{"id":2,"status":"accepted"}]"#
            ))
            .unwrap(),
        vec![
            report("a", DeliveryStatus::Failed, Some("switched off")),
            report("2", DeliveryStatus::Pending, None),
        ]
    );
    assert_eq!(
        transport
            .delivery_reports(&form_callback("id=b&status=failed&detail=DND"))
            .unwrap(),
        vec![report("b", DeliveryStatus::Failed, Some("DND"))]
    );
    assert!(transport
        .delivery_reports(&json_callback(r#"{"status":"delivered"}"#))
        .is_err());

    // Pointers and words of a provider's own.
    let mut settings = http_settings("https://sms.example");
    settings.http.report_id_pointer = "/msg/ref".into();
    settings.http.report_status_pointer = "/msg/state".into();
    settings.http.report_detail_pointer = "/msg/why".into();
    settings.http.delivered_values = vec!["DELIVRD".into()];
    settings.http.failed_values = vec!["UNDELIV".into(), "REJECTD".into()];
    let transport = build("http", &settings).unwrap();
    assert_eq!(
        transport
            .delivery_reports(&json_callback(
                r#"{"msg":{"ref":"r1","state":"DELIVRD","why":""}}"#
            ))
            .unwrap(),
        vec![report("r1", DeliveryStatus::Delivered, None)]
    );
    assert_eq!(
        transport
            .delivery_reports(&form_callback("ref=r2&state=REJECTD&why=template"))
            .unwrap(),
        vec![report("r2", DeliveryStatus::Failed, Some("template"))]
    );
    assert_eq!(
        transport
            .delivery_reports(&form_callback("ref=r3&state=delivered"))
            .unwrap(),
        vec![report("r3", DeliveryStatus::Pending, None)]
    );
}

#[test]
fn an_https_provider_that_does_not_speak_tls_is_a_retryable_failure() {
    // The TLS path is built (native-tls, the system's roots) and its failure classified: a
    // server that answers plain HTTP where a TLS handshake was expected.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let https = format!("https://{}", listener.local_addr().unwrap());
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    });
    let error = msg91(&https, 2).send(&hindi_receipt(), &dlt()).unwrap_err();
    server.join().unwrap();
    assert!(error.retryable, "{error:?}");
    assert!(
        error
            .message
            .starts_with("MSG91: the secure connection failed")
            || error.message.starts_with("MSG91: the connection failed"),
        "{}",
        error.message
    );
    assert!(!error.message.contains(MSG91_KEY));
}
