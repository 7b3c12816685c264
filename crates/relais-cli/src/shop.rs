//! `relais shop …`: the shop's tills on the LAN (issue 26). Pairing goes through the store;
//! the network through `relais-shop` (`relais-lan`'s two traits over the store, shared with
//! the app, which serves and syncs the same way in the background).

use crate::output::Out;
use clap::Subcommand;
use relais_bundle::AvoirConflict;
use relais_core::{text, Text};
use relais_lan::PeerOutcome;
use relais_shop::{lan_ip, said_unreachable, DEFAULT_PORT};
use relais_store::{PeerView, ShopConflict, ShopX, Store, StoreError};
use std::collections::BTreeMap;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum ShopCommand {
    /// Print this till's invitation, for `relais shop join` on another till of the shop
    Invite {
        /// Where the other tills reach this one (default: this PC's LAN address, port 47300)
        #[arg(long, value_name = "IP:PORT")]
        address: Option<String>,
    },
    /// Pair another till of the shop with this one, from its invitation (a manager's act)
    Join {
        /// The other till's invitation (relais shop invite there)
        invitation: String,
        /// The manager who pairs (journaled)
        #[arg(long)]
        operator: String,
    },
    /// Unpair a till: nothing more is pulled from it or served to it (a manager's act)
    Unpair {
        /// Its till code, e.g. T2
        till: String,
        /// The manager who unpairs (journaled)
        #[arg(long)]
        operator: String,
    },
    /// Serve this till's records to the paired tills (foreground, until stopped)
    Serve {
        /// Where to listen (default: the till's setting, `relais shop listen`; 0.0.0.0:47300)
        #[arg(long, value_name = "IP:PORT")]
        listen: Option<String>,
    },
    /// Pull the paired tills' new records, verified, kept apart from this till's ledger
    Sync {
        /// Once, then stop (else again every --every seconds)
        #[arg(long)]
        once: bool,
        /// Seconds between two pulls, without --once
        #[arg(long, default_value_t = 10)]
        every: u64,
        /// One JSON object per sync
        #[arg(long)]
        json: bool,
    },
    /// The paired tills: positions held, last exchange, defects, conflicts
    Status {
        /// As JSON
        #[arg(long)]
        json: bool,
    },
    /// The shop's X: every till's open day as held here, and their sum
    X {
        /// As JSON
        #[arg(long)]
        json: bool,
    },
    /// Show where this till listens for the others; with an address, set it (a manager's act)
    Listen {
        /// IP:PORT, the port from 1024 to 65535 (e.g. 0.0.0.0:47300)
        address: Option<String>,
        /// The manager who changes it (journaled)
        #[arg(long)]
        operator: Option<String>,
    },
}

pub fn writes(command: &ShopCommand) -> bool {
    matches!(
        command,
        ShopCommand::Join { .. }
            | ShopCommand::Unpair { .. }
            | ShopCommand::Listen {
                address: Some(_),
                ..
            }
    )
}

pub fn run(command: ShopCommand, store: &mut Store, out: &Out) -> relais_store::Result<ExitCode> {
    match command {
        ShopCommand::Invite { address } => {
            let port = relais_shop::listen_address(&store.lan_listen()?)
                .map_or(DEFAULT_PORT, |a| a.port());
            let address = address.unwrap_or_else(|| format!("{}:{port}", lan_ip()));
            println!("{}", store.invitation(&address)?);
        }
        ShopCommand::Join {
            invitation,
            operator,
        } => {
            let by = store.own_manager(&operator)?;
            let peer = store.pair_till(&invitation, &by)?;
            let (till, address) = (&peer.till, &peer.address);
            println!(
                "{}",
                out.text(text!(
                    fr: "Caisse {till} appairée ({address}) : ses enregistrements seront reçus et vérifiés.",
                    en: "Till {till} paired ({address}): its records will be received and verified.",
                ))
            );
        }
        ShopCommand::Unpair { till, operator } => {
            let by = store.own_manager(&operator)?;
            let peer = store.unpair_till(&till, &by)?;
            let till = &peer.till;
            println!(
                "{}",
                out.text(text!(fr: "Caisse {till} désappairée.", en: "Till {till} unpaired."))
            );
        }
        ShopCommand::Serve { listen } => {
            let listen = listen.map_or_else(|| store.lan_listen(), Ok)?;
            return serve(store, &listen, out);
        }
        ShopCommand::Listen { address, operator } => listen(store, address, operator, out)?,
        ShopCommand::Sync { once, every, json } => loop {
            let failed = sync(store, json, out)?;
            if once {
                return Ok(if failed {
                    ExitCode::FAILURE
                } else {
                    ExitCode::SUCCESS
                });
            }
            std::thread::sleep(std::time::Duration::from_secs(every.max(1)));
        },
        ShopCommand::Status { json } => {
            let conflicts = Conflicts {
                orders: store.shop_conflicts()?,
                avoirs: store.shop_avoir_conflicts()?,
            };
            status(&store.peers()?, &conflicts, json, out)
        }
        ShopCommand::X { json } => shop_x(&store.shop_x()?, json, out),
    }
    Ok(ExitCode::SUCCESS)
}

/// Shows where the till listens, or sets it (`--operator`, a manager).
fn listen(
    store: &mut Store,
    address: Option<String>,
    operator: Option<String>,
    out: &Out,
) -> relais_store::Result<()> {
    let Some(address) = address else {
        let at = store.lan_listen()?;
        println!(
            "{}",
            out.text(text!(fr: "Écoute sur {at}", en: "Listening on {at}"))
        );
        return Ok(());
    };
    let operator = operator.ok_or_else(|| {
        StoreError::Invalid(text!(
            fr: "--operator NOM : le responsable qui change l'adresse",
            en: "--operator NAME: the manager who changes the address",
        ))
    })?;
    let by = store.own_manager(&operator)?;
    let at = store.set_lan_listen(&address, &by)?;
    println!(
        "{}",
        out.text(text!(
            fr: "La caisse écoutera sur {at} (l'application s'y déplace aussitôt ; relais shop serve au prochain lancement).",
            en: "The till will listen on {at} (the app moves there at once; relais shop serve at its next start).",
        ))
    );
    Ok(())
}

fn serve(store: &mut Store, listen: &str, out: &Out) -> relais_store::Result<ExitCode> {
    let address = relais_shop::listen_address(listen)?;
    let till = store
        .config()
        .map(|c| c.till.clone())
        .ok_or(StoreError::NotInitialised)?;
    let lang = out.lang;
    // The server gets a connection of its own; this one stays with the caller.
    relais_shop::serve(store.data_dir(), address, |at| {
        println!(
            "{}",
            Text {
                fr: format!("Caisse {till} à l'écoute sur {at} (Ctrl+C pour arrêter)"),
                en: format!("Till {till} listening on {at} (Ctrl+C to stop)"),
            }
            .into_lang(lang)
        );
    })?;
    Ok(ExitCode::SUCCESS)
}

/// One pull from every paired till; whether a defect was found.
fn sync(store: &mut Store, json: bool, out: &Out) -> relais_store::Result<bool> {
    let synced = relais_shop::sync(store)?;
    report(
        &synced.outcomes,
        &synced.defects,
        json,
        out,
        &synced.price_lists,
    );
    Ok(synced.defect())
}

fn report(
    outcomes: &[PeerOutcome],
    defects: &BTreeMap<String, Text>,
    json: bool,
    out: &Out,
    prices: &[relais_shop::PriceListOutcome],
) {
    if json {
        let prices: Vec<serde_json::Value> = prices
            .iter()
            .map(|p| {
                let (report, error) = match &p.imported {
                    Ok(r) => (Some(r), None),
                    Err(e) => (None, Some(e.to_string())),
                };
                serde_json::json!({
                    "till": p.till,
                    "from_till": p.offer["from_till"],
                    "name": p.offer["name"],
                    "sha256": p.offer["sha256"],
                    "imported": report.map(|r| r.imported),
                    "updated": report.map(|r| r.updated),
                    "rejected": report.map(|r| r.rejected),
                    "error": error,
                })
            })
            .collect();
        let peers: Vec<serde_json::Value> = outcomes
            .iter()
            .map(|o| {
                serde_json::json!({
                    "till": o.till,
                    "received": o.received,
                    "reachable": o.unreachable.is_none(),
                    "unreachable": o.unreachable.as_ref().map(|u| u.to_string()),
                    "defect": defects.get(&o.till).map(|d| &d.en).or(o.defect.as_ref()),
                    "millis": o.millis,
                    "address": o.address.map(|a| a.to_string()),
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::json!({ "peers": peers, "price_lists": prices })
        );
        return;
    }
    if outcomes.is_empty() {
        println!(
            "{}",
            out.text(text!(
                fr: "Aucune caisse appairée (relais shop join).",
                en: "No till paired (relais shop join).",
            ))
        );
    }
    for o in outcomes {
        let (till, n) = (&o.till, o.received);
        let line = match (&o.defect, &o.unreachable) {
            (Some(defect), _) => {
                let said = defects.get(till).cloned().unwrap_or(Text {
                    fr: defect.clone(),
                    en: defect.clone(),
                });
                let (fr, en) = (said.fr, said.en);
                text!(
                    fr: "{till} : DÉFAUT, enregistrements refusés ({n} reçus avant) : {fr}",
                    en: "{till}: DEFECT, records refused ({n} received before): {en}",
                )
            }
            (None, Some(why)) => {
                let Text { fr, en } = said_unreachable(why);
                text!(
                    fr: "{till} : injoignable ({fr})",
                    en: "{till}: unreachable ({en})",
                )
            }
            (None, None) => text!(
                fr: "{till} : {n} enregistrement(s) reçu(s)",
                en: "{till}: {n} record(s) received",
            ),
        };
        println!("{}", out.text(line));
    }
    price_list_lines(prices, out);
}

/// The price lists received, as people read them.
fn price_list_lines(prices: &[relais_shop::PriceListOutcome], out: &Out) {
    for p in prices {
        let name = p.offer["name"].as_str().unwrap_or("?");
        let from = p.offer["from_till"].as_str().unwrap_or("?");
        let line = match &p.imported {
            Ok(r) => {
                let (new, updated, rejected) = (r.imported, r.updated, r.rejected);
                text!(
                    fr: "Liste de prix {name} de la caisse {from} importée : {new} créé(s), {updated} mis à jour, {rejected} rejeté(s)",
                    en: "Price list {name} from till {from} imported: {new} created, {updated} updated, {rejected} rejected",
                )
            }
            Err(e) => {
                let said = e.text();
                let (fr, en) = (said.fr, said.en);
                text!(
                    fr: "Liste de prix {name} de la caisse {from} refusée : {fr}",
                    en: "Price list {name} from till {from} refused: {en}",
                )
            }
        };
        println!("{}", out.text(line));
    }
}

/// What partitions left that cannot both stand.
struct Conflicts {
    orders: Vec<ShopConflict>,
    avoirs: Vec<AvoirConflict>,
}

fn status(peers: &[PeerView], conflicts: &Conflicts, json: bool, out: &Out) {
    if json {
        println!(
            "{}",
            serde_json::json!({
                "peers": peers,
                "conflicts": conflicts.orders,
                "avoir_conflicts": conflicts.avoirs,
            })
        );
        return;
    }
    if peers.is_empty() {
        println!(
            "{}",
            out.text(text!(
                fr: "Aucune caisse appairée (relais shop join).",
                en: "No till paired (relais shop join).",
            ))
        );
    }
    for p in peers {
        let (till, address, held) = (&p.till, &p.address, p.held);
        let last = p.last_exchange_local.as_deref().unwrap_or("-");
        let (fr_from, en_from) = match p.address_from {
            "mdns" => (", trouvée par mDNS", ", found by mDNS"),
            _ => ("", ""),
        };
        let mut line = text!(
            fr: "{till} ({address}{fr_from}) : jusqu'à la position {held}, dernier échange {last}",
            en: "{till} ({address}{en_from}): up to position {held}, last exchange {last}",
        );
        if p.unpaired_at.is_some() {
            line.fr.push_str(" — désappairée");
            line.en.push_str(" — unpaired");
        }
        if let (Some(en), Some(fr)) = (&p.defect, &p.defect_fr) {
            line.fr.push_str(&format!(" — DÉFAUT : {fr}"));
            line.en.push_str(&format!(" — DEFECT: {en}"));
        }
        println!("{}", out.text(line));
    }
    conflict_lines(conflicts, out);
}

fn conflict_lines(conflicts: &Conflicts, out: &Out) {
    let orders = conflicts.orders.iter().map(|c| (&c.what_fr, &c.what));
    let avoirs = conflicts.avoirs.iter().map(|c| (&c.what_fr, &c.what));
    for (fr, en) in orders.chain(avoirs) {
        println!(
            "{}",
            out.text(text!(fr: "CONFLIT : {fr}", en: "CONFLICT: {en}"))
        );
    }
}

fn shop_x(x: &ShopX, json: bool, out: &Out) {
    if json {
        println!("{}", serde_json::json!(x));
        return;
    }
    for till in &x.tills {
        let (code, total, sales) = (
            &till.till,
            out.money(till.totals.total_cents.0),
            till.totals.sales,
        );
        let deposits = out.money(till.totals.deposits_received_cents.0);
        let line = match till.business_day.as_deref() {
            Some(day) => {
                // 2026-12-07 as people read it: 07/12/2026.
                let fr_day: String = day.split('-').rev().collect::<Vec<_>>().join("/");
                text!(
                    fr: "{code} (journée du {fr_day}) : {total} € en {sales} vente(s), acomptes {deposits} €",
                    en: "{code} (day {day}): {total} in {sales} sale(s), deposits {deposits}",
                )
            }
            None => text!(
                fr: "{code} : pas de journée ouverte",
                en: "{code}: no day open",
            ),
        };
        println!("{}", out.text(line));
    }
    let (total, sales) = (out.money(x.totals.total_cents.0), x.totals.sales);
    let deposits = out.money(x.totals.deposits_received_cents.0);
    println!(
        "{}",
        out.text(text!(
            fr: "Magasin : {total} € en {sales} vente(s), acomptes {deposits} €",
            en: "Shop: {total} in {sales} sale(s), deposits {deposits}",
        ))
    );
    let conflicts = Conflicts {
        orders: x.conflicts.clone(),
        avoirs: x.avoir_conflicts.clone(),
    };
    conflict_lines(&conflicts, out);
}
