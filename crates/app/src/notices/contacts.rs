//! A person's own choice of how they are told: their address, each notice as it happens or a
//! daily digest, and all notices or only those their role needs. One use case for the account
//! page and `beacon notify contact`, checked the same way and written with its audit note.

use super::{Contact, Delivery, Outbox, check_email};
use crate::audit::{Actor, AuditNote};
use crate::error::AppError;

/// What a person chose, as typed.
#[derive(Debug, Clone, Default)]
pub struct ContactChoice {
    pub email: String,
    pub digest: bool,
    pub essential_only: bool,
}

/// A contact in words, as the audit trail and the pages say it.
pub fn describe(c: &Contact) -> String {
    format!(
        "{}, {}, {}",
        c.email,
        match c.delivery {
            Delivery::Each => "each notice as it happens",
            Delivery::Digest => "a daily digest",
        },
        if c.essential_only {
            "only the notices their role needs"
        } else {
            "every notice"
        }
    )
}

/// The person's current choice, if they made one.
pub async fn contact_of<S: Outbox>(store: &S, user_id: i64) -> Result<Option<Contact>, AppError> {
    Ok(store
        .contacts()
        .await?
        .into_iter()
        .find(|c| c.user_id == user_id))
}

/// Sets how `username` (user `user_id`) is told; refused with the address's problem in plain
/// words (field `email`) and nothing changed. Nothing is written when nothing changed.
pub async fn set_contact<S: Outbox>(
    store: &S,
    user_id: i64,
    username: &str,
    choice: &ContactChoice,
    by: &Actor,
) -> Result<Contact, AppError> {
    let email = check_email(&choice.email).map_err(AppError::Invalid)?;
    let contact = Contact {
        user_id,
        email,
        delivery: if choice.digest {
            Delivery::Digest
        } else {
            Delivery::Each
        },
        essential_only: choice.essential_only,
    };
    let before = contact_of(store, user_id).await?;
    if before.as_ref() == Some(&contact) {
        return Ok(contact);
    }
    let note = AuditNote {
        at: by.at,
        actor: by.name.clone(),
        council: None,
        entity: format!("user {username}"),
        item: None,
        field: "notices".into(),
        old: before.as_ref().map(describe),
        new: Some(describe(&contact)),
        reason: by.reason.clone(),
    };
    store.set_contact(&contact, &note).await?;
    Ok(contact)
}
