//! The shop's tills on the LAN (issue 26): the status bar's summary, and the manager's
//! « Caisses du magasin » screen (this till's invitation, pairing, unpairing, the paired
//! tills' state, the conflicts, the shop's X). The network itself runs in the background
//! (`crate::lan`); these commands only read what it found and what the store holds.

use crate::error::lang;
use crate::{ApiError, AppState};
use relais_store::export::MergeReport;
use relais_store::{ShopExportTill, ShopX};
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

/// One paired till as the screens show it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ShopPeer {
    pub till: String,
    pub address: String,
    /// The last position of its chain held here.
    #[ts(type = "number")]
    pub held: u64,
    /// The last exchange, in the till's zone as people read it.
    pub last_exchange: Option<String>,
    pub unpaired: bool,
    /// Its records refused (in the UI's language), if they were.
    pub defect: Option<String>,
    /// What the last background sync found: `None` before the first one.
    pub reachable: Option<bool>,
    /// Seconds in that state (reached, or not) since it changed.
    #[ts(type = "number")]
    pub for_seconds: u64,
    /// Why it was not reached (in the UI's language).
    pub why: Option<String>,
}

/// What partitions left that cannot both stand: what, and who did it where and when.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ShopConflictView {
    pub what: String,
    pub details: Vec<String>,
}

/// The shop's tills as this one sees them.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ShopStatus {
    pub till: String,
    /// Where this till is listening for the others, once it is.
    pub listening: Option<String>,
    /// Why the others cannot read this till (a port already taken…), in the UI's language.
    pub listen_error: Option<String>,
    pub peers: Vec<ShopPeer>,
    pub conflicts: Vec<ShopConflictView>,
    /// The shop setting `lan_listen` (a manager changes it here).
    pub listen_setting: String,
    /// `RELAIS_LAN_LISTEN`, when it overrides the setting (tests run two apps on one PC).
    pub listen_override: Option<String>,
    /// The price list this till holds for the shop: offered from here, or received.
    pub price_list: Option<ShopPriceList>,
}

/// The last price list offered to the shop from this till or received from another.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ShopPriceList {
    pub name: String,
    /// Its SHA-256's first 12 hex digits.
    pub sha256_prefix: String,
    /// The till where it was imported first, and by whom.
    pub from_till: String,
    pub offered_by: String,
    /// When it was offered, in the till's zone as people read it.
    pub offered_at: String,
    /// Offered from this till (else received from `from_till`).
    pub own: bool,
}

fn price_list(store: &relais_store::Store) -> Result<Option<ShopPriceList>, ApiError> {
    let (Some(config), Some(offer)) = (store.config(), store.price_list_offer()?) else {
        return Ok(None);
    };
    let offered_at = relais_core::time::parse_instant(&offer.offered_at)
        .map(|at| relais_core::time::local_display(config.zone, at))
        .unwrap_or(offer.offered_at.clone());
    Ok(Some(ShopPriceList {
        own: config.till == offer.from_till,
        sha256_prefix: offer.sha256.chars().take(12).collect(),
        name: offer.name,
        from_till: offer.from_till,
        offered_by: offer.offered_by,
        offered_at,
    }))
}

/// One till's open day in the shop's X.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ShopXTill {
    pub till: String,
    pub own: bool,
    pub business_day: Option<String>,
    #[ts(type = "number")]
    pub sales: u64,
    #[ts(type = "number")]
    pub total_cents: i64,
    #[ts(type = "number")]
    pub deposits_cents: i64,
}

/// The shop's X: every till's open day as held here, and their sum.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ShopXView {
    pub tills: Vec<ShopXTill>,
    pub total: ShopXTill,
}

fn conflicts(store: &relais_store::Store) -> Result<Vec<ShopConflictView>, ApiError> {
    let fr = lang() == relais_core::Lang::Fr;
    let pick = |fr_text: &str, en_text: &str| (if fr { fr_text } else { en_text }).to_string();
    let mut out: Vec<ShopConflictView> = store
        .shop_conflicts()?
        .into_iter()
        .map(|c| ShopConflictView {
            what: pick(&c.what_fr, &c.what),
            details: c
                .collections
                .iter()
                .map(|k| {
                    format!(
                        "{} · {} · {} · {}",
                        k.till, k.operator, k.local_time, k.number
                    )
                })
                .collect(),
        })
        .collect();
    out.extend(
        store
            .shop_avoir_conflicts()?
            .into_iter()
            .map(|c| ShopConflictView {
                what: pick(&c.what_fr, &c.what),
                details: c.tills.clone(),
            }),
    );
    Ok(out)
}

/// The status bar's and the screen's view of the shop's tills (any logged-in person).
#[tauri::command(async)]
pub fn shop_status(state: State<'_, AppState>) -> Result<ShopStatus, ApiError> {
    state.operator()?;
    let store = state.store()?;
    let (listening, listen_error) = state.lan().listening();
    let reach = state.lan().reach();
    let peers = store
        .peers()?
        .into_iter()
        .map(|p| {
            let found = reach.get(&p.till);
            let defect = match lang() {
                relais_core::Lang::Fr => p.defect_fr.clone().or(p.defect.clone()),
                relais_core::Lang::En => p.defect.clone(),
            };
            ShopPeer {
                address: p.address,
                held: p.held,
                last_exchange: p.last_exchange_local,
                unpaired: p.unpaired_at.is_some(),
                defect,
                reachable: found.map(|r| r.reachable),
                for_seconds: found.map_or(0, |r| r.since.elapsed().as_secs()),
                why: found
                    .and_then(|r| r.why.clone())
                    .map(|t| t.into_lang(lang())),
                till: p.till,
            }
        })
        .collect();
    Ok(ShopStatus {
        till: store.config().map(|c| c.till.clone()).unwrap_or_default(),
        listening,
        listen_error: listen_error.map(|t| t.into_lang(lang())),
        peers,
        conflicts: conflicts(&store)?,
        listen_setting: store.lan_listen()?,
        listen_override: crate::lan::listen_override(),
        price_list: price_list(&store)?,
    })
}

/// This till's invitation, for « Rejoindre » on another till (a manager's).
#[tauri::command(async)]
pub fn shop_invitation(state: State<'_, AppState>) -> Result<String, ApiError> {
    let (store, _) = state.managing()?;
    let listen = crate::lan::listen_override().map_or_else(|| store.lan_listen(), Ok)?;
    let mut address = relais_shop::listen_address(&listen)?;
    if address.port() == 0 {
        // A port the system chose (tests): the one bound.
        let (listening, _) = state.lan().listening();
        if let Some(bound) = listening.and_then(|l| l.parse().ok()) {
            address = bound;
        }
    }
    // Listening on every interface: the others reach this PC at its LAN address.
    let address = if address.ip().is_unspecified() {
        std::net::SocketAddr::new(relais_shop::lan_ip(), address.port())
    } else {
        address
    };
    Ok(store.invitation(&address.to_string())?)
}

/// Pairs another till of the shop from its invitation (a manager's act, journaled).
#[tauri::command(async)]
pub fn shop_join(state: State<'_, AppState>, invitation: String) -> Result<String, ApiError> {
    let (mut store, by) = state.managing()?;
    Ok(store.pair_till(invitation.trim(), &by)?.till)
}

/// Unpairs a till: nothing more is pulled from it or served to it (a manager's act).
#[tauri::command(async)]
pub fn shop_unpair(state: State<'_, AppState>, till: String) -> Result<String, ApiError> {
    let (mut store, by) = state.managing()?;
    Ok(store.unpair_till(&till, &by)?.till)
}

fn till_x(
    till: &str,
    own: bool,
    day: Option<String>,
    t: &relais_core::closure::PeriodTotals,
) -> ShopXTill {
    ShopXTill {
        till: till.to_string(),
        own,
        business_day: day,
        sales: t.sales,
        total_cents: t.total_cents.0,
        deposits_cents: t.deposits_received_cents.0,
    }
}

/// The shop's X (`relais shop x`): every till's open day as held here, and their sum.
#[tauri::command(async)]
pub fn shop_x(state: State<'_, AppState>) -> Result<ShopXView, ApiError> {
    let (store, _) = state.managing()?;
    let x: ShopX = store.shop_x()?;
    Ok(ShopXView {
        tills: x
            .tills
            .iter()
            .map(|t| till_x(&t.till, t.own, t.business_day.clone(), &t.totals))
            .collect(),
        total: till_x("", false, None, &x.totals),
    })
}

/// Sets where this till listens for the others (a manager's act, journaled): checked, kept,
/// and the background server moved there at once. Returns the address as kept.
#[tauri::command(async)]
pub fn shop_set_listen(state: State<'_, AppState>, address: String) -> Result<String, ApiError> {
    let (mut store, by) = state.managing()?;
    let kept = store.set_lan_listen(&address, &by)?;
    drop(store);
    state.lan().restart_serve();
    Ok(kept)
}

/// The tills the shop's bundle would hold and how fresh each is, for « Exporter le
/// magasin » (a manager's).
#[tauri::command(async)]
pub fn shop_export_tills(state: State<'_, AppState>) -> Result<Vec<ShopExportTill>, ApiError> {
    let (store, _) = state.managing()?;
    Ok(store.shop_export_tills()?)
}

/// What « Exporter le magasin » wrote.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ShopExportView {
    pub merge: MergeReport,
    pub tills: Vec<ShopExportTill>,
    pub order_conflicts: Vec<ShopConflictView>,
}

/// `relais export --shop` from the app: the shop's bundle from this till's own and received
/// records (the store's `export_shop`, the merge's own code, which refuses it with no till
/// paired or when a till's records were refused).
#[tauri::command(async)]
pub fn export_shop(state: State<'_, AppState>, out: String) -> Result<ShopExportView, ApiError> {
    let (mut store, by) = state.managing()?;
    let report = store.export_shop(std::path::Path::new(out.trim()), &by)?;
    let tills = store.shop_export_tills()?;
    let order_conflicts = conflicts(&store)?
        .into_iter()
        .take(report.order_conflicts.len())
        .collect();
    Ok(ShopExportView {
        merge: report.merge,
        tills,
        order_conflicts,
    })
}
