//! The views the pages share: where a plan stands (built by the
//! application layer, [`lantu_app::App::standing`]) with the pages' search
//! index, and the key of rendered reports; both kept while the data version
//! ([`crate::load::DataVersion`]) they were built at is current.

use crate::error::WebError;
use crate::view::PlanView;
use crate::AppState;
use lantu_app::{ObservationQuery, ObservationRecord, View, Visibility};
use std::sync::Arc;

/// What a rendered report depends on besides the data version.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct ReportKey {
    pub(crate) plan: i64,
    pub(crate) year: i32,
    /// `annual.pdf`, …
    pub(crate) file: String,
    pub(crate) lang: &'static str,
    pub(crate) visibility: Visibility,
    /// For internal reports: the digest of the comments this reader may
    /// see (readers who may see the same comments share the report); none
    /// in public ones.
    pub(crate) comments: Option<[u8; 32]>,
}

impl AppState {
    /// The cached view of a plan (built when missing or stale).
    pub async fn plan_view(&self, plan_id: i64, year: Option<i32>, vis: Visibility) -> Result<Arc<PlanView>, WebError> {
        let key = (plan_id, year, vis);
        let generation = self.data_version().await?;
        if let Some((at, gen, v)) = self.inner.cache.read().unwrap().get(&key) {
            if *gen == generation && at.elapsed() < self.inner.config.cache_ttl {
                return Ok(v.clone());
            }
        }
        let standing = self
            .inner
            .app
            .standing(plan_id, year, vis, self.inner.config.sample_data)
            .await?;
        let v = Arc::new(PlanView::from(standing));
        let mut cache = self.inner.cache.write().unwrap();
        if cache.len() > 64 {
            cache.clear();
        }
        cache.insert(key, (std::time::Instant::now(), generation, v.clone()));
        Ok(v)
    }

    /// The states of every latest vintage, for pages that show drafts
    /// (entry, review): not cached.
    pub async fn latest_records(
        &self,
        plan_id: i64,
        department: Option<&str>,
    ) -> Result<Vec<ObservationRecord>, WebError> {
        Ok(self
            .inner
            .app
            .observations(
                plan_id,
                &ObservationQuery {
                    view: View::Latest,
                    department: department.map(str::to_string),
                    geography: Some(String::new()),
                    ..ObservationQuery::default()
                },
            )
            .await?)
    }
}
