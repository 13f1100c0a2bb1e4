//! Pages: the home page listing each council with its plans and quarters.

use crate::AppState;
use crate::error::WebError;
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use beacon_app::Store;
use std::sync::Arc;

/// A plan as the home page lists it.
pub struct PlanRow {
    pub reference: String,
    pub title: String,
    pub years: String,
    pub objectives: usize,
    pub indicators: usize,
}

/// A council as the home page lists it.
pub struct CouncilRow {
    pub name: String,
    pub reference: String,
    pub plans: Vec<PlanRow>,
    pub quarters: Vec<String>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    councils: Vec<CouncilRow>,
}

pub async fn home<S: Store>(
    State(state): State<Arc<AppState<S>>>,
) -> Result<Html<String>, WebError> {
    let mut councils = Vec::new();
    for c in state.store.councils().await? {
        let Some(data) = state.store.council_data(&c.reference).await? else {
            continue;
        };
        councils.push(CouncilRow {
            name: c.name.clone(),
            reference: c.reference.to_string(),
            plans: data
                .plans
                .iter()
                .map(|p| PlanRow {
                    reference: p.plan.reference.to_string(),
                    title: p.plan.title.clone(),
                    years: p.plan.years.to_string(),
                    objectives: p.objectives.len(),
                    indicators: p.indicators.len(),
                })
                .collect(),
            quarters: data
                .quarters
                .iter()
                .map(|q| format!("{}: {} {}", q.header.title, q.header.unit, q.header.period))
                .collect(),
        });
    }
    Ok(Html(Home { councils }.render()?))
}
