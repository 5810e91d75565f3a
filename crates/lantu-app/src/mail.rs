//! A minimal SMTP client (RFC 5321) for reminders by e-mail: plain TCP,
//! optional `AUTH PLAIN`, one message per connection, UTF-8 text with the
//! subject encoded per RFC 2047. Meant for the office's relay on the local
//! network or loopback; it speaks no TLS (see docs/operations.md).

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// Where and how to send e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    /// The sender address (`From:` and `MAIL FROM`).
    pub from: String,
    /// User name and password for `AUTH PLAIN`, if the relay wants them.
    pub auth: Option<(String, String)>,
}

/// Why a message was not sent.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("SMTP server {0}: {1}")]
    Io(String, std::io::Error),
    #[error("SMTP server {server} refused `{command}`: {reply}")]
    Refused {
        server: String,
        command: String,
        reply: String,
    },
    #[error("SMTP server {0} did not answer in time")]
    Timeout(String),
    #[error("not an e-mail address: `{0}`")]
    Address(String),
}

const TIMEOUT: Duration = Duration::from_secs(20);

/// An RFC 2047 encoded word (base64, UTF-8) for a header value; ASCII
/// text without specials is left as is.
pub fn encode_header(text: &str) -> String {
    if text
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) && b != b'=' && b != b'?')
    {
        return text.to_string();
    }
    // Encoded words of at most 75 characters: split on char boundaries.
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in text.chars() {
        if chunk.len() + c.len_utf8() > 45 {
            words.push(format!("=?UTF-8?B?{}?=", B64.encode(chunk.as_bytes())));
            chunk.clear();
        }
        chunk.push(c);
    }
    if !chunk.is_empty() {
        words.push(format!("=?UTF-8?B?{}?=", B64.encode(chunk.as_bytes())));
    }
    words.join("\r\n ")
}

/// Whether `s` is a plausible e-mail address (one `@`, a dot in the
/// domain, no spaces, angle brackets or control characters).
pub fn valid_address(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && s.len() <= 254
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"'))
}

/// The message as sent: headers and a base64 UTF-8 body.
fn message(config: &SmtpConfig, to: &str, subject: &str, body: &str) -> String {
    let encoded = B64.encode(body.as_bytes());
    let mut lines = String::new();
    for chunk in encoded.as_bytes().chunks(76) {
        lines.push_str(&String::from_utf8_lossy(chunk));
        lines.push_str("\r\n");
    }
    format!(
        "From: {}\r\nTo: <{to}>\r\nSubject: {}\r\nDate: {}\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{lines}",
        config.from,
        encode_header(subject),
        rfc2822_now()
    )
}

/// The current time as an RFC 5322 date, UTC.
fn rfc2822_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // 1970-01-01 was a Thursday.
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days.rem_euclid(7) as usize];
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(m - 1).clamp(0, 11) as usize];
    format!(
        "{weekday}, {d:02} {month} {y} {:02}:{:02}:{:02} +0000",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

struct Conn {
    server: String,
    reader: BufReader<TcpStream>,
}

impl Conn {
    async fn reply(&mut self) -> Result<(u16, String), MailError> {
        let mut all = String::new();
        loop {
            let mut line = String::new();
            let n = tokio::time::timeout(TIMEOUT, self.reader.read_line(&mut line))
                .await
                .map_err(|_| MailError::Timeout(self.server.clone()))?
                .map_err(|e| MailError::Io(self.server.clone(), e))?;
            if n == 0 {
                return Err(MailError::Io(
                    self.server.clone(),
                    std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "the connection closed"),
                ));
            }
            all.push_str(line.trim_end());
            let code = line.get(..3).and_then(|c| c.parse().ok()).unwrap_or(0);
            if line.as_bytes().get(3) != Some(&b'-') {
                return Ok((code, all));
            }
            all.push(' ');
        }
    }

    async fn send(&mut self, text: &str) -> Result<(), MailError> {
        tokio::time::timeout(TIMEOUT, self.reader.get_mut().write_all(text.as_bytes()))
            .await
            .map_err(|_| MailError::Timeout(self.server.clone()))?
            .map_err(|e| MailError::Io(self.server.clone(), e))
    }

    /// Sends `command` and expects a reply of class `class` (2 or 3).
    async fn command(&mut self, command: &str, shown: &str, class: u16) -> Result<(), MailError> {
        self.send(&format!("{command}\r\n")).await?;
        self.expect(shown, class).await
    }

    async fn expect(&mut self, shown: &str, class: u16) -> Result<(), MailError> {
        let (code, reply) = self.reply().await?;
        if code / 100 != class {
            return Err(MailError::Refused {
                server: self.server.clone(),
                command: shown.to_string(),
                reply,
            });
        }
        Ok(())
    }
}

/// Sends one message to `to`.
pub async fn send(config: &SmtpConfig, to: &str, subject: &str, body: &str) -> Result<(), MailError> {
    if !valid_address(to) {
        return Err(MailError::Address(to.to_string()));
    }
    let server = format!("{}:{}", config.host, config.port);
    let stream = tokio::time::timeout(TIMEOUT, TcpStream::connect((config.host.as_str(), config.port)))
        .await
        .map_err(|_| MailError::Timeout(server.clone()))?
        .map_err(|e| MailError::Io(server.clone(), e))?;
    let mut c = Conn {
        server,
        reader: BufReader::new(stream),
    };
    c.expect("connect", 2).await?;
    c.command("EHLO lantu", "EHLO", 2).await?;
    if let Some((user, password)) = &config.auth {
        let token = B64.encode(format!("\0{user}\0{password}"));
        c.command(&format!("AUTH PLAIN {token}"), "AUTH PLAIN", 2).await?;
    }
    let from = config
        .from
        .rsplit_once('<')
        .map_or(config.from.as_str(), |(_, a)| a.trim_end_matches('>'));
    c.command(&format!("MAIL FROM:<{from}>"), "MAIL FROM", 2).await?;
    c.command(&format!("RCPT TO:<{to}>"), "RCPT TO", 2).await?;
    c.command("DATA", "DATA", 3).await?;
    // Dot-stuffing (RFC 5321 4.5.2): base64 lines never start with a dot,
    // headers might.
    let text = message(config, to, subject, body).replace("\r\n.", "\r\n..");
    c.send(&text).await?;
    c.send(".\r\n").await?;
    c.expect("the message", 2).await?;
    // The message is accepted; a failed QUIT changes nothing.
    let _ = c.command("QUIT", "QUIT", 2).await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_subjects_are_encoded_words() {
        let s = encode_header("催报提醒：区发展改革委");
        assert!(s.starts_with("=?UTF-8?B?"), "{s}");
        let decoded: String = s
            .split("\r\n ")
            .map(|w| {
                let b = w.trim_start_matches("=?UTF-8?B?").trim_end_matches("?=");
                String::from_utf8(B64.decode(b).unwrap()).unwrap()
            })
            .collect();
        assert_eq!(decoded, "催报提醒：区发展改革委");
        assert_eq!(encode_header("Reminder"), "Reminder");
    }

    #[test]
    fn addresses() {
        assert!(valid_address("a.b@tj.gov.cn"));
        assert!(!valid_address("a b@x.cn"));
        assert!(!valid_address("ab@cn"));
        assert!(!valid_address("<a@b.cn>"));
        assert!(!valid_address("a@b.cn\r\nRCPT TO:<c@d.cn>"));
    }
}
