//! The web application's settings.

use crate::auth::HashCost;
use crate::limiter::LoginLimits;
use crate::load;
use crate::sessions::SessionLimits;
use std::time::Duration;

/// Changes whenever the stylesheet changes (cache busting).
pub const ASSET_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Settings of the web application.
#[derive(Debug, Clone)]
pub struct Config {
    /// Mark session cookies `Secure` (the default). Browsers send secure
    /// cookies over HTTPS and to `localhost`/`127.0.0.1` only; an intranet
    /// server reached over plain HTTP needs this off.
    pub secure_cookies: bool,
    /// Label every page as showing illustrative sample data, whatever the
    /// batches say.
    pub sample_data: bool,
    /// How long a built plan view, page or report is reused at most: they
    /// are keyed by the data version ([`load::DataVersion`]), so this is a
    /// backstop, not what makes a write show.
    pub cache_ttl: Duration,
    /// How long a signed-in account or session read from the store is
    /// reused: a change made by another server of the same database (role,
    /// deactivation, new password, sign-out) takes effect within this time;
    /// changes made here at once.
    pub account_ttl: Duration,
    /// Login attempt limits.
    pub login: LoginLimits,
    /// How long sessions last.
    pub sessions: SessionLimits,
    /// Cost of password hashing.
    pub hash_cost: HashCost,
    /// The SMTP server reminders are e-mailed through; none: in-app
    /// notices only.
    pub smtp: Option<lantu_app::mail::SmtpConfig>,
    /// Cache budgets and limits on expensive requests.
    pub load: load::LoadConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            secure_cookies: true,
            sample_data: false,
            cache_ttl: Duration::from_secs(60),
            account_ttl: Duration::from_secs(5),
            hash_cost: HashCost::default(),
            smtp: None,
            login: LoginLimits::default(),
            sessions: SessionLimits::default(),
            load: load::LoadConfig::default(),
        }
    }
}
