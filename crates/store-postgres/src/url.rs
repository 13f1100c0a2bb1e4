//! Recognising PostgreSQL URLs, showing them without their password, and naming the user to
//! connect as when the URL does not.

/// Whether `db` names a PostgreSQL database (`postgres://` or `postgresql://`).
pub fn is_postgres_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// The URL with any password (in the authority or as `password=` in the query) replaced by
/// `***`, for messages and logs. Works on any `scheme://` text, so a mistyped scheme
/// (`postgre://user:secret@host`) is hidden too.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    // The authority ends at the first '/', '?' or '#'; credentials end at its last '@'.
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _password)) => format!("{user}:***@{host}"),
            None => authority.to_string(),
        },
        None => authority.to_string(),
    };
    format!("{scheme}://{authority}{}", redact_query(tail))
}

/// `password=…` in a query string, hidden.
fn redact_query(tail: &str) -> String {
    let Some((path, query)) = tail.split_once('?') else {
        return tail.to_string();
    };
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
            _ => pair.to_string(),
        })
        .collect();
    format!("{path}?{}", pairs.join("&"))
}

/// Whether the URL names the user to connect as, in its authority or as `user=`.
fn names_user(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let in_authority = rest[..end]
        .rsplit_once('@')
        .is_some_and(|(userinfo, _)| !userinfo.split(':').next().unwrap_or("").is_empty());
    let in_query = rest
        .split_once('?')
        .map(|(_, q)| q.split('#').next().unwrap_or(""))
        .is_some_and(|q| q.split('&').any(|p| p.starts_with("user=")));
    in_authority || in_query
}

/// The URL to connect with: as given when it names a user or `PGUSER` is set; otherwise with
/// `user=` the operating-system user Beacon runs as, which is what `psql` does and what
/// PostgreSQL's `peer` authentication on the local socket expects. (sqlx's own default user
/// comes from a `whoami` built without `std`, which answers "anonymous".)
pub fn with_user(
    url: &str,
    pguser: Option<String>,
    os_user: Option<String>,
) -> Result<String, String> {
    if names_user(url) || pguser.is_some_and(|u| !u.is_empty()) {
        return Ok(url.to_string());
    }
    let Some(user) = os_user.filter(|u| {
        !u.is_empty()
            && u.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
    }) else {
        return Err(format!(
            "{}: the URL names no user, PGUSER is not set, and the operating-system user's name \
             cannot be found; name the user in the URL (postgres://USER@HOST/DATABASE, or \
             ?user=USER for the local socket)",
            redact(url)
        ));
    };
    let (body, fragment) = url.split_once('#').map_or((url, ""), |(b, f)| (b, f));
    let joiner = if body.contains('?') { '&' } else { '?' };
    let fragment = if fragment.is_empty() {
        String::new()
    } else {
        format!("#{fragment}")
    };
    Ok(format!("{body}{joiner}user={user}{fragment}"))
}

/// The name of the operating-system user this process runs as (its effective user, as the
/// password database has it: what PostgreSQL's `peer` authentication sees).
pub fn os_user() -> Option<String> {
    whoami::username().ok()
}

#[cfg(test)]
mod tests {
    use super::{is_postgres_url, redact, with_user};

    #[test]
    fn passwords_are_hidden_and_the_rest_kept() {
        assert_eq!(
            redact("postgres://beacon:s3cr@t@db.example:5432/beacon?sslmode=disable"),
            "postgres://beacon:***@db.example:5432/beacon?sslmode=disable"
        );
        assert_eq!(
            redact("postgres://beacon@127.0.0.1/b"),
            "postgres://beacon@127.0.0.1/b"
        );
        assert_eq!(
            redact("postgres:///b?host=/run/postgresql"),
            "postgres:///b?host=/run/postgresql"
        );
        assert_eq!(redact("beacon.db"), "beacon.db");
    }

    #[test]
    fn a_mistyped_scheme_and_a_password_in_the_query_are_hidden_too() {
        assert_eq!(
            redact("postgre://beacon:hunter2@db/beacon"),
            "postgre://beacon:***@db/beacon"
        );
        assert_eq!(
            redact("postgres:///beacon?host=/run/postgresql&password=hunter2&sslmode=require"),
            "postgres:///beacon?host=/run/postgresql&password=***&sslmode=require"
        );
    }

    #[test]
    fn only_postgres_schemes_are_postgres() {
        assert!(is_postgres_url("postgres://x/y"));
        assert!(is_postgres_url("postgresql://x/y"));
        assert!(!is_postgres_url("sqlite://x.db"));
        assert!(!is_postgres_url("postgres.db"));
    }

    #[test]
    fn a_url_without_a_user_connects_as_the_operating_system_user() {
        let os = Some("beacon".to_string());
        assert_eq!(
            with_user("postgres:///beacon?host=/run/postgresql", None, os.clone()).as_deref(),
            Ok("postgres:///beacon?host=/run/postgresql&user=beacon")
        );
        assert_eq!(
            with_user("postgres://127.0.0.1/beacon", None, os.clone()).as_deref(),
            Ok("postgres://127.0.0.1/beacon?user=beacon")
        );
        // A user in the URL, as user=, or in PGUSER is kept.
        for named in [
            "postgres://me@127.0.0.1/beacon",
            "postgres://me:pw@127.0.0.1/beacon",
            "postgres:///beacon?host=/run/postgresql&user=me",
        ] {
            assert_eq!(with_user(named, None, os.clone()).as_deref(), Ok(named));
        }
        assert_eq!(
            with_user("postgres:///b", Some("me".into()), os).as_deref(),
            Ok("postgres:///b")
        );
        // No user anywhere: refused, saying how to name one.
        let err = with_user("postgres://:pw@127.0.0.1/b", None, None).unwrap_err();
        assert!(err.contains("postgres://USER@HOST/DATABASE"), "{err}");
        assert!(!err.contains("pw@"), "{err}");
    }
}
