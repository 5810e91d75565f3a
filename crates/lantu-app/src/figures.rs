//! Monitoring figures (监测数据): reading them as each reader may see
//! them; entering, importing, submitting, reviewing and publishing them.

use crate::{App, Result};
use lantu_store::{ObservationQuery, ObservationRecord};

impl App {
    /// The stored figures of a plan that `query` selects.
    pub async fn observations(&self, plan_id: i64, query: &ObservationQuery) -> Result<Vec<ObservationRecord>> {
        Ok(self.store.observations(plan_id, query).await?)
    }
}
