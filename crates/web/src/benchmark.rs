//! The national benchmarking set as the use cases reach it (`beacon_app::benchmark`): a council
//! linked to the set contributes its published values and gets its national quartiles, both
//! worked out by `beacon-national`; and the publishing step that freezes the report with its
//! national quartile column and then contributes. The sign-off page, the API and `beacon
//! publish` all take steps through [`take_step`] here, so they publish alike.

use crate::formats::ReportFormats;
use beacon_app::access::Principal;
use beacon_app::audit::Actor;
use beacon_app::benchmark::{
    Ask, Benchmark, Contribution, QuartileColumn, contribute_published, quartile_column,
};
use beacon_app::lifecycle::Step;
use beacon_app::notices::Outbox;
use beacon_app::notices::compose::Links;
use beacon_app::steps::{StepRequest, StepTaken};
use beacon_app::{AppError, CouncilData, Governance};
use beacon_domain::organisation::CouncilRef;
use beacon_national::NationalDb;

/// The national set on the store's database.
#[derive(Debug, Clone)]
pub struct NationalSet<'a>(pub &'a NationalDb);

fn failed(e: beacon_national::NationalError) -> AppError {
    AppError::Refused(format!("the national set: {e}"))
}

impl Benchmark for NationalSet<'_> {
    async fn contribute(
        &self,
        council: &CouncilRef,
        values: &[Contribution],
    ) -> Result<Option<usize>, AppError> {
        let Some(link) = self.0.link_of(council.as_str()).await.map_err(failed)? else {
            return Ok(None);
        };
        if !link.contribute {
            return Ok(None);
        }
        let values: Vec<(Vec<String>, String, f64)> = values
            .iter()
            .map(|c| (c.codes.clone(), c.period.clone(), c.value))
            .collect();
        beacon_national::contribute_known(self.0, &link.code, &values)
            .await
            .map(Some)
            .map_err(failed)
    }

    async fn quartiles(
        &self,
        council: &CouncilRef,
        asks: &[Ask],
        up_to: &str,
    ) -> Result<Option<QuartileColumn>, AppError> {
        let Some(link) = self.0.link_of(council.as_str()).await.map_err(failed)? else {
            return Ok(None);
        };
        let asks: Vec<(String, Vec<String>)> = asks
            .iter()
            .map(|a| (a.key.clone(), a.codes.clone()))
            .collect();
        let Some(cells) = beacon_national::quartile_cells(self.0, &link.code, &asks, up_to)
            .await
            .map_err(failed)?
        else {
            return Ok(None);
        };
        Ok(Some(QuartileColumn {
            heading: beacon_national::QUARTILE_HEADING.to_string(),
            key: beacon_national::QUARTILE_KEY.to_string(),
            cells,
        }))
    }

    async fn revision(&self) -> Result<i64, AppError> {
        self.0.revision().await.map_err(failed)
    }
}

/// The national quartile column of a council's quarter, or None when the council is not
/// linked to the set or the set cannot be read (logged: the rest is the council's own and
/// still correct, so the page or report goes on without the column).
pub async fn column(
    set: Option<&NationalDb>,
    data: &CouncilData,
    quarter: beacon_domain::period::Quarter,
) -> Option<QuartileColumn> {
    match quartile_column(&NationalSet(set?), data, quarter).await {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(council = %data.council.reference, "national quartiles not read: {e}");
            None
        }
    }
}

/// A step taken, and what became of the contribution to the national set when it published.
pub struct Stepped {
    pub taken: StepTaken,
    /// Said to the person who published: how many values went into the national set, or
    /// why none did this time.
    pub contributed: Option<String>,
}

/// Takes a step through `beacon_app::steps::take_step`. When it publishes, the frozen report
/// carries the national quartile column (for a linked council), and once the publication is
/// committed the council's published values go into the national set (when it contributes).
/// A contribution that fails does not undo the publication: it is logged and said, and the
/// next publication gives every published value again.
#[allow(clippy::too_many_arguments)]
pub async fn take_step<G: Governance + Outbox>(
    store: &G,
    set: Option<&NationalDb>,
    links: &impl Links,
    who: &Principal,
    data: &CouncilData,
    request: &StepRequest,
    by: &Actor,
) -> Result<Stepped, AppError> {
    let publishing = request.step == Step::Publish;
    // Publishing (the only step that writes files) freezes the report with the quartile
    // column and the open data with each indicator's position.
    let formats = match set {
        Some(_) if publishing => ReportFormats {
            national: column(set, data, request.quarter).await,
            positions: ReportFormats::positions(set, data).await,
        },
        _ => ReportFormats::default(),
    };
    let taken =
        beacon_app::steps::take_step(store, &formats, links, who, data, request, by).await?;
    let contributed = match (set, &taken.publication) {
        (Some(db), Some(_)) => match contribute_published(store, &NationalSet(db), data).await {
            Ok(Some(n)) => Some(format!(
                "{n} published value{} given to the national benchmarking set.",
                if n == 1 { "" } else { "s" }
            )),
            Ok(None) => None,
            Err(e) => {
                tracing::error!(council = %data.council.reference, "contribution to the national set failed: {e}");
                Some(format!(
                    "The published values could not be given to the national benchmarking set \
                     ({e}); they will be given with the next publication."
                ))
            }
        },
        _ => None,
    };
    Ok(Stepped { taken, contributed })
}
