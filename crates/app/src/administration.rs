//! A council's administrator managing its users from the pages: the council's users, and the
//! rules on who may change whom. An administrator changes only users whose every role is on
//! their own council (anyone else is for the system administrator, with `beacon user`), and
//! cannot lock themselves out.

use crate::access::{Action, Grant, Principal, Role};
use crate::accounts::{self, UserChange, UserRecord};
use crate::audit::Actor;
use crate::error::AppError;
use crate::ports::Governance;
use beacon_domain::organisation::CouncilRef;

/// The users holding any role on the council, by username.
pub fn of_council<'a>(users: &'a [UserRecord], council: &CouncilRef) -> Vec<&'a UserRecord> {
    users.iter().filter(|u| u.has_role_on(council)).collect()
}

/// The user's roles on the council only.
pub fn grants_on<'a>(user: &'a UserRecord, council: &CouncilRef) -> Vec<&'a Grant> {
    user.grants
        .iter()
        .filter(|g| &g.council == council)
        .collect()
}

/// Whether an administrator of the council may change the user: every role the user holds is
/// on this council. Someone who also works for another council is managed from the command
/// line, so that no council's administrator can lock out another council's officer.
pub fn manageable(user: &UserRecord, council: &CouncilRef) -> bool {
    !user.grants.is_empty() && user.grants.iter().all(|g| &g.council == council)
}

/// Whether the principal administers the council as a whole.
pub fn administers(principal: &Principal, council: &CouncilRef) -> bool {
    principal.may(council, Action::Administer)
}

/// Finds a user of the council by username; another council's user is not found.
pub async fn find<G: Governance>(
    store: &G,
    council: &CouncilRef,
    username: &str,
) -> Result<UserRecord, AppError> {
    store
        .user_by_name(&accounts::username_key(username))
        .await?
        .filter(|u| u.has_role_on(council))
        .ok_or_else(|| AppError::NotFound(format!("There is no user {username:?} in {council}")))
}

/// Makes the change to a user of the council for its administrator, refusing what the rules
/// above forbid. Ends all the user's sessions.
pub async fn change<G: Governance>(
    store: &G,
    admin: &Principal,
    council: &CouncilRef,
    username: &str,
    change: UserChange,
    by: &Actor,
) -> Result<(), AppError> {
    if !administers(admin, council) {
        return Err(AppError::Forbidden(format!(
            "{} does not administer {council}",
            admin.username
        )));
    }
    let user = find(store, council, username).await?;
    if !manageable(&user, council) {
        return Err(AppError::Refused(format!(
            "{} also has roles in another council, so only Beacon's system administrator can change their account (with `beacon user`)",
            user.username
        )));
    }
    let yourself = user.id == admin.user_id;
    match &change {
        UserChange::Disable if yourself => {
            return Err(AppError::Invalid(
                "You cannot disable your own account: ask another administrator".into(),
            ));
        }
        UserChange::Grants(grants) => {
            if grants.is_empty() {
                return Err(AppError::Invalid("Choose a role".into()));
            }
            if let Some(g) = grants.iter().find(|g| &g.council != council) {
                return Err(AppError::Forbidden(format!(
                    "A role on {} cannot be given from {council}'s pages",
                    g.council
                )));
            }
            let still_admin = grants
                .iter()
                .any(|g| g.role == Role::Administrator && g.unit.is_none());
            if yourself && !still_admin {
                return Err(AppError::Invalid(
                    "You cannot take away your own administrator role: ask another administrator"
                        .into(),
                ));
            }
        }
        _ => {}
    }
    accounts::change_user(store, &user.username, change, by).await
}

/// Adds a user to the council with one role and a new random password, which is returned to
/// be handed over once.
pub async fn add<G: Governance>(
    store: &G,
    admin: &Principal,
    username: &str,
    display_name: &str,
    grant: Grant,
    by: &Actor,
) -> Result<String, AppError> {
    if !administers(admin, &grant.council) {
        return Err(AppError::Forbidden(format!(
            "{} does not administer {}",
            admin.username, grant.council
        )));
    }
    if display_name.trim().is_empty() {
        return Err(AppError::Invalid("Enter the person's full name".into()));
    }
    // Usernames are one namespace for every council: a name taken anywhere is refused with the
    // same words whether this council's user or another's holds it, so the answer never says
    // which council has whom.
    let taken = || {
        AppError::Invalid(format!(
            "The username {:?} cannot be used: choose another (for example, add your council's name to it)",
            accounts::username_key(username)
        ))
    };
    if store
        .user_by_name(&accounts::username_key(username))
        .await?
        .is_some()
    {
        return Err(taken());
    }
    let password = accounts::generate_password()?;
    match accounts::add_user(store, username, display_name, &password, vec![grant], by).await {
        Ok(_) => Ok(password),
        // Another request took the name in between.
        Err(AppError::Refused(m) | AppError::Invalid(m)) if m.contains("already a user") => {
            Err(taken())
        }
        Err(e) => Err(e),
    }
}

/// What the audit trail says of a user that a council's administrator may see: rows written
/// from another council's pages are left out, and lists of roles keep only the roles on this
/// council (a row left with nothing about this council is left out too).
pub fn history_for_council(
    mut entries: Vec<crate::audit::AuditEntry>,
    council: &CouncilRef,
) -> Vec<crate::audit::AuditEntry> {
    let here = |text: &str| -> String {
        text.split("; ")
            .filter(|g| {
                g.ends_with(&format!(" of {council}")) || g.ends_with(&format!(" in {council}"))
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    entries.retain(|e| {
        e.note
            .council
            .as_deref()
            .is_none_or(|c| c == council.as_str())
    });
    entries
        .into_iter()
        .filter_map(|mut e| {
            if matches!(e.note.field.as_str(), "roles" | "created") {
                let old = e.note.old.as_deref().map(here);
                let new = e.note.new.as_deref().map(here);
                let nothing_here = old.as_deref().unwrap_or("").is_empty()
                    && new.as_deref().unwrap_or("").is_empty();
                if old == new || nothing_here {
                    return None;
                }
                e.note.old = old.filter(|t| !t.is_empty());
                e.note.new = new.filter(|t| !t.is_empty());
            }
            Some(e)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(role: Role, council: &str, unit: Option<&str>) -> Grant {
        Grant {
            role,
            council: council.parse().unwrap_or_else(|_| unreachable!()),
            unit: unit.map(|u| u.parse().unwrap_or_else(|_| unreachable!())),
        }
    }

    fn user(grants: Vec<Grant>) -> UserRecord {
        UserRecord {
            id: 1,
            username: "jo".into(),
            display_name: "Jo".into(),
            password_hash: String::new(),
            disabled: false,
            grants,
        }
    }

    #[test]
    fn only_users_wholly_of_the_council_are_manageable_from_it() {
        let halton: CouncilRef = "halton".parse().unwrap_or_else(|_| unreachable!());
        let only = user(vec![grant(Role::Contributor, "halton", Some("CED"))]);
        let both = user(vec![
            grant(Role::Contributor, "halton", Some("CED")),
            grant(Role::Councillor, "knowsley", None),
        ]);
        let elsewhere = user(vec![grant(Role::Councillor, "knowsley", None)]);
        assert!(manageable(&only, &halton));
        assert!(!manageable(&both, &halton));
        assert!(!manageable(&elsewhere, &halton));
        assert!(!manageable(&user(vec![]), &halton));
        let all = [only, both, elsewhere];
        assert_eq!(of_council(&all, &halton).len(), 2);
        assert_eq!(grants_on(&all[1], &halton).len(), 1);
    }
}
