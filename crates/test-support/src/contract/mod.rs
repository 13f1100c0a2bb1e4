//! The store contract: the same stories, run against every backend. Each story is an
//! `async fn story<S: Store>(store: &S)` that starts from an empty database and panics when the
//! store does not behave as a user would expect. `contract_suite!` turns the whole list into
//! one test per story for a backend, so adding a story here runs it on SQLite and PostgreSQL.
//!
//! Stories that wait for later issues: signing a quarter off and publishing the monitoring
//! report (the life of a quarter), and anything later issues store.

pub mod fixtures;
mod stories;

pub use stories::*;

/// One `#[tokio::test]` per contract story, each on a fresh database made by `$fresh` (an
/// expression, awaited inside the test, whose value has a `store` field).
///
/// ```ignore
/// beacon_test_support::contract_suite!(beacon_test_support::TempDb::new().await);
/// ```
#[macro_export]
macro_rules! contract_suite {
    ($fresh:expr) => {
        $crate::contract_suite!(@each $fresh;
            the_example_council_loads_and_reads_back_as_its_files_say,
            loading_the_same_files_again_changes_nothing,
            a_quarter_is_recorded_and_re_recorded_from_a_file,
            a_quarter_is_recorded_as_a_change_set,
            a_status_is_overridden_with_a_reason,
            an_exported_council_loads_back_unchanged,
            a_rich_council_reads_back_exactly,
            words_and_numbers_keep_their_words_and_their_scale,
            money_is_kept_to_the_penny_at_the_limits,
            unicode_and_long_text_are_kept_exactly,
            stats_count_each_kind_of_row,
            applying_the_same_change_twice_changes_nothing,
            a_replaced_plan_leaves_no_orphans_and_upserts_update,
            councils_are_kept_apart,
            a_failing_apply_changes_nothing,
            a_failing_apply_on_an_empty_database_leaves_it_empty,
            concurrent_writers_to_different_councils_all_land,
            concurrent_writers_to_one_council_all_land,
            concurrent_replacements_of_one_plan_leave_one_whole_plan,
            reads_while_writing_see_a_whole_council,
            a_council_s_revision_moves_on_with_every_change,
        );
    };
    (@each $fresh:expr; $($story:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $story() {
                let db = $fresh;
                $crate::contract::$story(&db.store).await;
            }
        )*
    };
}
