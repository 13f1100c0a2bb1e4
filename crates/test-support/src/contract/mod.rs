//! The store contract: the same stories, run against every backend. Each story is an
//! `async fn story<S: Store>(store: &S)` (or `S: Store + Governance`) that starts from an empty
//! database and panics when the store does not behave as a user would expect. `contract_suite!`
//! turns the whole list into one test per story for a backend, so adding a story here runs it
//! on SQLite and PostgreSQL.
//!
//! The governance stories (users and sign-in, sessions, the life of a quarter, publications
//! and the audit trail) need the store to be `Governance` too; both backends are.

mod budget;
mod calendar;
mod dates;
pub mod fixtures;
mod governance;
mod library;
mod mfa;
mod recording;
mod stories;
mod versions;

pub use budget::*;
pub use calendar::*;
pub use dates::*;
pub use governance::*;
pub use library::*;
pub use mfa::*;
pub use recording::*;
pub use stories::*;
pub use versions::*;

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
            a_removed_statement_leaves_no_orphans,
            councils_are_kept_apart,
            a_failing_apply_changes_nothing,
            a_failing_apply_on_an_empty_database_leaves_it_empty,
            concurrent_writers_to_different_councils_all_land,
            concurrent_writers_to_one_council_all_land,
            concurrent_replacements_of_one_plan_leave_one_whole_plan,
            reads_while_writing_see_a_whole_council,
            a_council_s_revision_moves_on_with_every_change,
            a_budget_book_and_a_capital_programme_read_back_with_their_kinds,
            dates_ranges_census_named_comparators_and_equality_objectives_read_back,
            an_indicator_library_is_kept_once_and_plans_take_its_definitions,
            a_removed_library_definition_is_gone_and_the_others_stay,
            every_approved_version_of_a_plan_is_kept_whole,
            // Governance.
            loading_the_example_council_writes_an_audit_trail_that_verifies,
            a_stale_form_is_refused_saying_who_changed_the_quarter_and_when,
            a_signed_off_quarter_refuses_changes_until_it_is_reopened,
            a_published_quarter_keeps_every_version_byte_for_byte,
            a_taken_username_is_refused,
            disabling_a_user_or_changing_their_password_ends_their_sessions,
            changing_a_users_roles_replaces_their_grants_and_ends_their_sessions,
            sign_in_is_throttled_after_five_failures_whether_or_not_the_account_exists,
            sessions_end_when_idle_for_thirty_minutes_or_after_twelve_hours,
            the_port_keeps_users_sessions_and_failed_sign_ins,
            a_governance_dump_restores_verbatim_into_an_empty_database,
            writers_appending_at_once_keep_one_unbroken_chain,
            writers_to_one_quarter_at_once_do_not_overwrite_each_other,
            an_api_token_is_kept_hashed_and_revoking_it_moves_the_revocation_counter,
            // Recording a quarter.
            an_unchanged_entry_writes_nothing,
            an_entry_changes_only_the_items_it_carries,
            a_commentary_keeps_its_author_unless_its_text_changes,
            an_entry_without_its_version_is_refused,
            a_department_under_a_signed_off_directorate_is_refused,
            a_department_s_values_appear_in_its_directorate_s_quarter,
            a_risk_is_assessed_each_quarter_and_its_trend_read_back,
            // Multi-factor sign-in.
            mfa_is_confirmed_with_a_code_and_each_code_works_once,
            two_sign_ins_with_one_code_at_once_let_only_one_in,
            sign_in_asks_for_the_code_after_the_password,
            a_council_can_require_mfa_of_administrators_and_performance_officers,
            turning_mfa_off_needs_a_current_code,
            the_account_page_reads_a_users_own_records_in_one_go,
            // The calendar and the outbox.
            a_calendar_is_kept_whole_and_refused_when_out_of_order,
            the_outbox_writes_each_notice_once_and_sends_it_once,
            a_notice_given_up_is_failed_and_never_due_again,
            a_person_chooses_how_they_are_told,
            a_subscriber_is_kept_once_and_removed,
            a_notice_is_claimed_by_one_sender_and_freed_when_it_dies,
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
