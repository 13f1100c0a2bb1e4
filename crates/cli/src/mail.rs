//! Sending notices over SMTP with `lettre`: `--smtp smtp://HOST:PORT` (plain, on a trusted
//! network or loopback), `smtp://HOST?tls=required` (STARTTLS) or `smtps://HOST` (TLS), with
//! `USER:PASSWORD@` when the server wants a login. The sender is `--mail-from`.

use beacon_app::notices::deliver::Mailer;
use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// An SMTP server to send through.
#[derive(Clone)]
pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Smtp {
    /// Reads the URL and the sender's address; nothing is connected until a message is sent.
    pub fn new(url: &str, from: &str) -> Result<Smtp, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| {
                format!(
                    "--smtp: {e}; expected a URL such as smtp://mail.example.gov.uk:25 or smtps://USER:PASSWORD@mail.example.gov.uk"
                )
            })?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = from.parse::<Mailbox>().map_err(|e| {
            format!("--mail-from: {from:?} is not an address ({e}); expected one such as Beacon <beacon@council.gov.uk>")
        })?;
        Ok(Smtp { transport, from })
    }
}

impl Mailer for Smtp {
    async fn send(&self, to: &str, subject: &str, body: &str, id: &str) -> Result<(), String> {
        let to = to
            .parse::<Mailbox>()
            .map_err(|e| format!("{to:?} is not an email address: {e}"))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .message_id(Some(format!("<{id}@{}>", self.from.email.domain())))
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_string())
            .map_err(|e| format!("cannot build the message: {e}"))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| format!("the mail server did not take the message: {e}"))
    }
}
