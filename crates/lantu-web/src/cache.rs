//! The views the pages share: where a plan stands (built by the
//! application layer, [`lantu_app::App::standing`]) with the pages' search
//! index, cached for a few seconds and dropped on every write made through
//! the web.

use crate::error::WebError;
use crate::view::PlanView;
use crate::AppState;
use lantu_app::{ObservationQuery, ObservationRecord, View, Visibility};
use std::sync::Arc;

impl AppState {
    /// The cached view of a plan (built when missing or stale).
    pub async fn plan_view(&self, plan_id: i64, year: Option<i32>, vis: Visibility) -> Result<Arc<PlanView>, WebError> {
        let key = (plan_id, year, vis);
        let generation = self.generation();
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
