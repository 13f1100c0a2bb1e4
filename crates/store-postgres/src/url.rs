//! Recognising PostgreSQL URLs and showing them without their password.

/// Whether `db` names a PostgreSQL database (`postgres://` or `postgresql://`).
pub fn is_postgres_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// The URL with any password replaced by `***`, for messages and logs.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    // The authority ends at the first '/', '?' or '#'; credentials end at its last '@'.
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _password)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::{is_postgres_url, redact};

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
    fn only_postgres_schemes_are_postgres() {
        assert!(is_postgres_url("postgres://x/y"));
        assert!(is_postgres_url("postgresql://x/y"));
        assert!(!is_postgres_url("sqlite://x.db"));
        assert!(!is_postgres_url("postgres.db"));
    }
}
