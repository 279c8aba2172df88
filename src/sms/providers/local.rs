//! The local transports: `log` (a line in the log) and `file` (one text file per message under
//! `sms.file_dir`, the embedded default, so a demo shows what would be sent). Neither reaches
//! a phone.
//!
//! Their delivery reports, for trying the callback route (`/hooks/sms/log/delivery`,
//! `/hooks/sms/file/delivery`), are a simple form, in the query string or as an
//! `application/x-www-form-urlencoded` body: `id=<provider id>&status=delivered|failed|pending`
//! and, optionally, `detail=<reason>`. The id is what the transport gave the message: `file-<row>`
//! or `log-<row>`. `id`, `status` and `detail` may repeat, in that order, for several reports.

use super::SmsTransport;
use super::{Accepted, Callback, DeliveryReport, DeliveryStatus, Dlt, OutgoingSms, SendError};
use std::path::PathBuf;

/// Writes a line to the log: the number masked, the key and the length; the text too, except
/// for a one-time code (its text is never logged).
pub struct LogTransport;

impl SmsTransport for LogTransport {
    fn name(&self) -> &'static str {
        "log"
    }

    fn send(&self, sms: &OutgoingSms, dlt: &Dlt) -> Result<Accepted, SendError> {
        let text = if sms.key == crate::sms::dlt::OTP_KEY {
            "(one-time code: not logged)"
        } else {
            sms.text.as_str()
        };
        tracing::info!(
            outbox = sms.outbox_id,
            to = %crate::sms::mask(&sms.to),
            key = %sms.key,
            sender = %dlt.sender_id,
            dlt_template = %sms.dlt_template_id,
            unicode = sms.unicode,
            chars = sms.text.chars().count(),
            text,
            "SMS (log transport: not sent to a phone)"
        );
        Ok(Accepted {
            provider_id: format!("log-{}", sms.outbox_id),
            cost_paise: None,
        })
    }

    fn delivery_reports(&self, callback: &Callback) -> Result<Vec<DeliveryReport>, String> {
        simple_reports(callback)
    }
}

/// One file per message, `sms-<row>.txt` (a retry overwrites it): the headers a provider would
/// get, a blank line, the text.
pub struct FileTransport {
    pub dir: PathBuf,
}

impl SmsTransport for FileTransport {
    fn name(&self) -> &'static str {
        "file"
    }

    fn send(&self, sms: &OutgoingSms, dlt: &Dlt) -> Result<Accepted, SendError> {
        let fail = |e: std::io::Error| SendError {
            retryable: true,
            message: format!("cannot write the message file: {e}"),
        };
        crate::config::create_private_dir(&self.dir).map_err(fail)?;
        let body = format!(
            "To: {}\nSender: {}\nEntity: {}\nDLT-Template: {}\nKey: {}\nUnicode: {}\n\n{}\n",
            sms.to,
            dlt.sender_id,
            dlt.entity_id,
            sms.dlt_template_id,
            sms.key,
            sms.unicode,
            sms.text
        );
        let path = self.dir.join(format!("sms-{}.txt", sms.outbox_id));
        crate::config::write_private_file(&path, body.as_bytes()).map_err(fail)?;
        Ok(Accepted {
            provider_id: format!("file-{}", sms.outbox_id),
            cost_paise: None,
        })
    }

    fn delivery_reports(&self, callback: &Callback) -> Result<Vec<DeliveryReport>, String> {
        simple_reports(callback)
    }
}

/// The local transports' report form (see the module's notes).
pub fn simple_reports(callback: &Callback) -> Result<Vec<DeliveryReport>, String> {
    let mut pairs = callback.query.clone();
    if callback
        .content_type
        .starts_with("application/x-www-form-urlencoded")
        && !callback.body.is_empty()
    {
        let body: Vec<(String, String)> = serde_urlencoded::from_bytes(&callback.body)
            .map_err(|e| format!("the body is not a form: {e}"))?;
        pairs.extend(body);
    }
    let mut out: Vec<DeliveryReport> = Vec::new();
    for (k, v) in pairs {
        match k.as_str() {
            "id" => {
                if v.trim().is_empty() {
                    return Err("an empty id".into());
                }
                out.push(DeliveryReport {
                    provider_id: v.trim().to_string(),
                    status: DeliveryStatus::Pending,
                    detail: None,
                })
            }
            "status" => {
                let r = out.last_mut().ok_or("status before id")?;
                r.status = match v.as_str() {
                    "delivered" => DeliveryStatus::Delivered,
                    "failed" => DeliveryStatus::Failed,
                    "pending" => DeliveryStatus::Pending,
                    other => return Err(format!("unknown status {other:?}")),
                };
            }
            "detail" => {
                let r = out.last_mut().ok_or("detail before id")?;
                r.detail = Some(v.chars().take(200).collect());
            }
            _ => {}
        }
    }
    if out.is_empty() {
        return Err("no id".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_simple_report_form() {
        let cb = Callback {
            query: vec![
                ("id".into(), "file-1".into()),
                ("status".into(), "delivered".into()),
            ],
            content_type: "application/x-www-form-urlencoded".into(),
            body: b"id=file-2&status=failed&detail=DND".to_vec(),
        };
        let r = simple_reports(&cb).unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].status, DeliveryStatus::Delivered);
        assert_eq!(r[1].detail.as_deref(), Some("DND"));
        let bad = Callback {
            query: vec![("id".into(), "x".into()), ("status".into(), "done".into())],
            ..Default::default()
        };
        assert!(simple_reports(&bad).is_err());
        assert!(simple_reports(&Callback::default()).is_err());
    }
}
