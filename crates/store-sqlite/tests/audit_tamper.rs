//! Someone with the database file tampers with the audit trail: the file refuses an UPDATE or
//! DELETE on it, and once they drop its triggers as anyone with the file can, `verify` still
//! names the first row that does not hold, however they tamper: an edited value (rehashed or
//! not), a deleted row, two rows swapped, rows cut from the end. Each case starts from a fresh
//! database with the example council loaded.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beacon_app::Governance;
use beacon_app::audit::{AuditEntry, Broken, chain_hash, check_anchors, verify};
use beacon_app::lifecycle::{QuarterState, Step};
use beacon_domain::Ref;
use beacon_domain::organisation::CouncilRef;
use beacon_test_support::TempDb;
use beacon_test_support::contract::fixtures::governance as port;
use sqlx::AssertSqlSafe;

/// A fresh database with the example council loaded, and the length of its trail, which
/// verifies.
async fn loaded() -> (TempDb, i64) {
    let db = TempDb::with_halton().await;
    let (trail, head) = db.store.audit_trail().await.unwrap();
    let n = verify(&trail, head).unwrap_or_else(|b| panic!("the untouched trail verifies: {b}"));
    assert!(n >= 8, "enough rows to tamper with: {n}");
    (db, n as i64)
}

/// Runs a statement the test wrote itself.
async fn exec(db: &TempDb, sql: &str) {
    sqlx::query(AssertSqlSafe(sql.to_string()))
        .execute(db.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// What an attacker with the file does first.
async fn drop_triggers(db: &TempDb) {
    exec(db, "DROP TRIGGER audit_is_append_only").await;
    exec(db, "DROP TRIGGER audit_rows_are_kept").await;
}

async fn rows(db: &TempDb) -> Vec<AuditEntry> {
    db.store.audit_trail().await.unwrap().0
}

/// Recomputes the hashes of `trail[from..]` in the file, each on the one before, as someone
/// covering an edit would; returns the new last hash.
async fn rechain(db: &TempDb, trail: &mut [AuditEntry], from: usize) -> String {
    let mut prev = trail[from - 1].hash.clone();
    for e in &mut trail[from..] {
        e.prev_hash = prev;
        e.hash = chain_hash(&e.prev_hash, e.seq, &e.note);
        prev = e.hash.clone();
        exec(
            db,
            &format!(
                "UPDATE audit SET prev_hash = '{}', hash = '{}' WHERE seq = {}",
                e.prev_hash, e.hash, e.seq
            ),
        )
        .await;
    }
    prev
}

/// Where verification breaks; panics if it does not.
async fn broken(db: &TempDb) -> Broken {
    let (trail, head) = db.store.audit_trail().await.unwrap();
    match verify(&trail, head) {
        Err(b) => b,
        Ok(n) => panic!("the tampered trail of {n} rows verifies"),
    }
}

#[tokio::test]
async fn the_file_refuses_to_change_or_delete_audit_rows() {
    let (db, n) = loaded().await;
    let before = db.store.audit_trail().await.unwrap();
    for sql in [
        "UPDATE audit SET new_value = 'mallory was here' WHERE seq = 3".to_string(),
        "UPDATE audit SET seq = seq + 1000".to_string(),
        "DELETE FROM audit WHERE seq = 3".to_string(),
        format!("DELETE FROM audit WHERE seq = {n}"),
        "DELETE FROM audit".to_string(),
    ] {
        let err = sqlx::query(AssertSqlSafe(sql.clone()))
            .execute(db.pool())
            .await
            .expect_err(&sql)
            .to_string();
        assert!(
            err.contains("the audit trail is append-only"),
            "{sql}: {err}"
        );
    }
    assert_eq!(db.store.audit_trail().await.unwrap(), before);
}

#[tokio::test]
async fn an_edited_value_is_caught_at_its_row() {
    let (db, n) = loaded().await;
    let k = n / 2;
    drop_triggers(&db).await;
    exec(
        &db,
        &format!("UPDATE audit SET new_value = 'mallory was here' WHERE seq = {k}"),
    )
    .await;
    assert_eq!(
        rows(&db).await[k as usize - 1].note.new.as_deref(),
        Some("mallory was here")
    );
    let b = broken(&db).await;
    assert_eq!(b.seq, k, "{b}");
    assert!(b.why.contains("was edited"), "{b}");
}

#[tokio::test]
async fn an_edit_to_the_first_or_last_row_or_to_who_did_it_is_caught_at_its_row() {
    for (column, value, row) in [
        ("actor", "'mallory'", "1"),
        ("reason", "'no reason'", "last"),
        ("council_ref", "NULL", "middle"),
        ("at", "'2012-10-15T09:31:00.000000Z'", "middle"),
    ] {
        let (db, n) = loaded().await;
        let seq = match row {
            "1" => 1,
            "last" => n,
            _ => n / 2,
        };
        drop_triggers(&db).await;
        exec(
            &db,
            &format!("UPDATE audit SET {column} = {value} WHERE seq = {seq}"),
        )
        .await;
        let b = broken(&db).await;
        assert_eq!(b.seq, seq, "{column} of row {seq}: {b}");
    }
}

/// Rehashing the edited row does not help: the next row's previous hash no longer matches.
/// Rehashing every row after it does not either: the head the store keeps names the old end.
#[tokio::test]
async fn a_rehashed_edit_is_caught_at_the_next_row_or_at_the_head() {
    let (db, n) = loaded().await;
    let k = n / 2;
    drop_triggers(&db).await;
    let mut trail = rows(&db).await;
    let e = &mut trail[k as usize - 1];
    e.note.new = Some("mallory was here".into());
    e.hash = chain_hash(&e.prev_hash, e.seq, &e.note);
    exec(
        &db,
        &format!(
            "UPDATE audit SET new_value = 'mallory was here', hash = '{}' WHERE seq = {k}",
            e.hash
        ),
    )
    .await;
    let b = broken(&db).await;
    assert_eq!(b.seq, k + 1, "{b}");
    assert!(b.why.contains("previous hash"), "{b}");

    // The whole rest of the chain rewritten to match.
    rechain(&db, &mut trail, k as usize).await;
    let b = broken(&db).await;
    assert_eq!(b.seq, n, "the head still names the old last row: {b}");
    assert!(b.why.contains("head"), "{b}");
}

/// Rewriting the head as well makes the chain hold on its own; a publication made after the
/// edited row still records the hash that row's successor had, and names itself.
#[tokio::test]
async fn a_trail_rewritten_head_and_all_is_caught_by_a_later_publication() {
    let (db, n) = loaded().await;
    let halton: CouncilRef = "halton".parse().unwrap();
    let ced: Ref = "CED".parse().unwrap();
    let from = db
        .store
        .quarter_statuses(&halton)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.unit == ced && s.quarter == port::q2())
        .unwrap();
    let (mut t, note) = port::step(&from, Step::Publish, QuarterState::Published, "pat", 5);
    t.council = halton.clone();
    let mut publication = port::publication(
        1,
        "pat",
        5,
        None,
        vec![port::file("report.html", "text/html", b"<p>Q2</p>")],
    );
    publication.meta.council = halton.clone();
    publication.meta.unit = ced;
    db.store
        .transition(&t, Some(&publication), &[note])
        .await
        .unwrap();
    let pubs = db.store.publications(&halton).await.unwrap();
    let anchor = pubs[0].anchor.clone().expect("the publication is anchored");
    assert_eq!(anchor.seq, n, "anchored at the last row before publishing");
    assert_eq!(check_anchors(&rows(&db).await, &pubs), Ok(1));

    let k = n / 2;
    drop_triggers(&db).await;
    let mut trail = rows(&db).await;
    trail[k as usize - 1].note.new = Some("mallory was here".into());
    exec(
        &db,
        &format!("UPDATE audit SET new_value = 'mallory was here' WHERE seq = {k}"),
    )
    .await;
    let prev = rechain(&db, &mut trail, k as usize - 1).await;
    exec(&db, &format!("UPDATE audit_head SET hash = '{prev}'")).await;
    let (rewritten, head) = db.store.audit_trail().await.unwrap();
    assert_eq!(
        verify(&rewritten, head),
        Ok(n as usize + 1),
        "the chain alone holds"
    );
    let b = check_anchors(&rewritten, &pubs).unwrap_err();
    assert_eq!(b.seq, n, "{b}");
    assert!(
        b.why
            .contains("the publication of halton CED 2012/13 Q2 version 1")
            && b.why.contains("rewritten after it was published"),
        "{b}"
    );
}

#[tokio::test]
async fn a_deleted_row_is_caught_where_it_was() {
    for seq in [1, 2, 5] {
        let (db, n) = loaded().await;
        assert!(seq < n);
        drop_triggers(&db).await;
        exec(&db, &format!("DELETE FROM audit WHERE seq = {seq}")).await;
        let b = broken(&db).await;
        // The row found where the deleted one should be.
        assert_eq!(b.seq, seq + 1, "{b}");
        assert!(b.why.contains(&format!("expected row {seq} here")), "{b}");
    }
}

/// Two rows swapped, by moving their content between seqs or by swapping their seqs: caught at
/// the earlier of the two.
#[tokio::test]
async fn reordered_rows_are_caught_at_the_first_one_moved() {
    let columns = "at, actor, council_ref, entity, item, field, old_value, new_value, reason, \
                   prev_hash, hash";
    let swap_content = |a: i64, b: i64| {
        let set = columns
            .split(", ")
            .map(|c| format!("{c} = (SELECT {c} FROM audit_copy WHERE seq = {b})"))
            .collect::<Vec<_>>()
            .join(", ");
        let set_back = set.replace(&format!("seq = {b})"), &format!("seq = {a})"));
        vec![
            "CREATE TEMP TABLE audit_copy AS SELECT * FROM audit".to_string(),
            format!("UPDATE audit SET {set} WHERE seq = {a}"),
            format!("UPDATE audit SET {set_back} WHERE seq = {b}"),
        ]
    };
    let swap_seq = |a: i64, b: i64| {
        vec![
            format!("UPDATE audit SET seq = -1 WHERE seq = {a}"),
            format!("UPDATE audit SET seq = {a} WHERE seq = {b}"),
            format!("UPDATE audit SET seq = {b} WHERE seq = -1"),
        ]
    };
    for (how, adjacent) in [
        ("content", true),
        ("content", false),
        ("seq", true),
        ("seq", false),
    ] {
        let (db, n) = loaded().await;
        let a = n / 2;
        let b = if adjacent { a + 1 } else { n - 1 };
        let before = rows(&db).await;
        drop_triggers(&db).await;
        let statements = if how == "content" {
            swap_content(a, b)
        } else {
            swap_seq(a, b)
        };
        // One connection, so the temporary table is there for every statement.
        let mut conn = db.pool().acquire().await.unwrap();
        for sql in &statements {
            sqlx::query(AssertSqlSafe(sql.clone()))
                .execute(&mut *conn)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
        }
        drop(conn);
        let after = rows(&db).await;
        assert_eq!(
            after[a as usize - 1].note,
            before[b as usize - 1].note,
            "{how}"
        );
        assert_eq!(
            after[b as usize - 1].note,
            before[a as usize - 1].note,
            "{how}"
        );
        let got = broken(&db).await;
        assert_eq!(got.seq, a, "swapped {how} of rows {a} and {b}: {got}");
    }
}

#[tokio::test]
async fn rows_cut_from_the_end_are_caught_at_the_head() {
    for cut in [1, 3] {
        let (db, n) = loaded().await;
        drop_triggers(&db).await;
        exec(&db, &format!("DELETE FROM audit WHERE seq > {}", n - cut)).await;
        assert_eq!(rows(&db).await.len() as i64, n - cut);
        let b = broken(&db).await;
        assert_eq!(
            b.seq, n,
            "the head names the row that should end the trail: {b}"
        );
        assert!(b.why.contains(&format!("ends at row {}", n - cut)), "{b}");
    }
}
