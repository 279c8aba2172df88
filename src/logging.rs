//! Where log lines go and how they look (`[log]`): tracing events to stderr, as text for
//! people or one JSON object per line for a log collector (`log.format`). Colour codes only
//! when stderr is a terminal and `NO_COLOR` is unset or empty (<https://no-color.org>).
//!
//! Every command sets it up the same way, once, before it does anything else. The access
//! log (one line per request) is `crate::web::access`.

use crate::config::{LogConfig, LogFormat};
use std::ffi::OsString;
use std::io::IsTerminal;
use tracing_subscriber::EnvFilter;

/// Install the process's logger: `RUST_LOG` when set (and valid), else `log.filter`, else
/// `info`. A second call does nothing.
pub fn init(log: &LogConfig) {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(&log.filter))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let ansi = colour(
        std::io::stderr().is_terminal(),
        std::env::var_os("NO_COLOR"),
    );
    let fmt = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi);
    let _ = match log.format {
        LogFormat::Text => fmt.with_target(false).try_init(),
        // the event's fields at the top level beside timestamp, level and target; an event
        // inside a request (an error a handler logs) carries the request's span, and with it
        // the request id
        LogFormat::Json => fmt
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
}

/// Whether to write colour codes: only to a terminal, and never when `NO_COLOR` holds
/// anything.
pub fn colour(terminal: bool, no_color: Option<OsString>) -> bool {
    terminal && no_color.is_none_or(|v| v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::colour;

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        assert!(colour(true, None));
        assert!(
            colour(true, Some("".into())),
            "an empty NO_COLOR does not count"
        );
        assert!(!colour(true, Some("1".into())));
        assert!(
            !colour(true, Some("false".into())),
            "any value at all turns colour off"
        );
        assert!(
            !colour(false, None),
            "a file or a pipe gets no colour codes"
        );
        assert!(!colour(false, Some("1".into())));
    }
}
