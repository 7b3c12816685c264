//! What the CLI prints: JSON lines for programs, short sentences for people.

use relais_core::{text, Kind, Lang, Text};
use relais_store::{InitReport, JournalEntry, Recorded, Status, StoreError, VerifyReport};
use std::path::Path;
use std::process::ExitCode;

pub struct Out {
    pub lang: Lang,
}

/// Prints an error for people and returns the failure exit status.
pub fn fail(out: &Out, error: &StoreError) -> ExitCode {
    let word = if out.lang == Lang::Fr {
        "erreur"
    } else {
        "error"
    };
    eprintln!("{word}: {} [{}]", error.message(out.lang), error.kind());
    ExitCode::FAILURE
}

impl Out {
    /// An amount as people of the language write it: "12,50" or "12.50".
    pub fn money(&self, cents: i64) -> String {
        relais_core::Money(cents).decimal(if self.lang == Lang::Fr { ',' } else { '.' })
    }

    /// The text in the session's language: `out.text(text!(fr: "…", en: "…"))`.
    pub fn text(&self, text: Text) -> String {
        text.into_lang(self.lang)
    }

    /// `n` and its noun agreed in the language: `count(1, ["vente", "ventes"], ["sale",
    /// "sales"])` is « 1 vente » (French: singular for 0 and 1), "1 sale" in English.
    pub fn count(&self, n: u64, fr: [&str; 2], en: [&str; 2]) -> String {
        format!("{n} {}", self.noun(n, fr, en))
    }

    /// « 12 enregistrements », "12 records": the count most commands print.
    pub fn records(&self, n: u64) -> String {
        self.count(
            n,
            ["enregistrement", "enregistrements"],
            ["record", "records"],
        )
    }

    /// The noun of [`Out::count`] alone: « ligne » or « lignes » before a list of numbers.
    pub fn noun(&self, n: u64, fr: [&str; 2], en: [&str; 2]) -> String {
        match self.lang {
            Lang::Fr => relais_store::plural::fr_word(n, fr[0], fr[1]),
            Lang::En => relais_store::plural::en_word(n, en[0], en[1]),
        }
        .to_string()
    }

    pub fn init_done(&self, report: &InitReport, dir: &Path) {
        println!(
            "{} {} — {} {}",
            self.text(text!(fr: "Caisse initialisée :", en: "Till set up:")),
            report.till,
            self.text(text!(fr: "données dans", en: "data in")),
            dir.display()
        );
        println!(
            "{} {}",
            self.text(text!(fr: "Clé publique (Ed25519) :", en: "Public key (Ed25519):")),
            report.public_key
        );
    }

    /// A record kind as people read it: « Mouvement de caisse », "Cash movement" (its code,
    /// `cash_movement`, stays for programs: --json).
    pub fn kind(&self, code: &str) -> String {
        match (Kind::from_code(code), self.lang) {
            (Some(kind), Lang::Fr) => kind.label_fr().to_string(),
            _ => {
                let words = code.replace('_', " ");
                let mut chars = words.chars();
                chars
                    .next()
                    .map(|first| first.to_uppercase().chain(chars).collect())
                    .unwrap_or_default()
            }
        }
    }

    /// One JSON line per recorded record.
    pub fn recorded(&self, recorded: &Recorded) {
        println!("{}", serde_json::to_string(recorded).expect("serialisable"));
        for warning in &recorded.warnings {
            eprintln!(
                "{}: {}",
                self.text(text!(fr: "attention", en: "warning")),
                warning.get(self.lang)
            );
        }
    }

    pub fn verify_report(&self, report: &VerifyReport, dir: &Path) -> ExitCode {
        match &report.defect {
            None => {
                let summary = &report.summary;
                let kinds: Vec<String> = summary
                    .per_kind
                    .iter()
                    .map(|(k, n)| format!("{} {n}", self.kind(k).to_lowercase()))
                    .collect();
                println!(
                    "ok: {} {} — {} ({}) — {} {}",
                    self.text(text!(fr: "caisse", en: "till")),
                    summary.till.as_deref().unwrap_or("-"),
                    self.count(
                        summary.records,
                        ["enregistrement intègre", "enregistrements intègres"],
                        ["record intact", "records intact"]
                    ),
                    kinds.join(", "),
                    self.text(text!(fr: "empreinte de tête", en: "head hash")),
                    summary.head_hash.as_deref().unwrap_or("-"),
                );
                ExitCode::SUCCESS
            }
            Some(defect) => {
                let text = defect.text().get(self.lang).to_string();
                println!(
                    "{}: {} ({})",
                    self.text(text!(fr: "DÉFAUT", en: "DEFECT")),
                    text,
                    dir.display()
                );
                ExitCode::FAILURE
            }
        }
    }

    pub fn journal(&self, entries: &[JournalEntry], json: bool) {
        for e in entries {
            if json {
                println!("{}", serde_json::to_string(e).expect("serialisable"));
            } else {
                println!(
                    "{}  {}  {:>4}  {:<18} {}  [{}]",
                    e.number, e.local_time, e.code, e.name, e.message, e.operator
                );
            }
        }
    }

    pub fn status(&self, status: &Status, json: bool) {
        if json {
            println!("{}", serde_json::to_string(status).expect("serialisable"));
            return;
        }
        if !status.initialised {
            println!("{}", StoreError::NotInitialised.message(self.lang));
            return;
        }
        let shop = status.shop.as_ref().map(|s| s.name.as_str()).unwrap_or("-");
        println!(
            "{shop} — {} {}",
            self.text(text!(fr: "caisse", en: "till")),
            status.till.as_deref().unwrap_or("-")
        );
        // French puts a space before a colon.
        let colon = self.text(text!(fr: " :", en: ":"));
        println!(
            "{}{colon} {}",
            self.text(text!(fr: "Ventes", en: "Sales")),
            status.sales
        );
        match &status.chain.defect {
            None => println!(
                "{}{colon} {}",
                self.text(text!(fr: "Chaîne intègre", en: "Chain intact")),
                self.records(status.chain.records)
            ),
            Some(d) => println!(
                "{}{colon} {}",
                self.text(text!(fr: "DÉFAUT", en: "DEFECT")),
                self.text(d.clone())
            ),
        }
        if status.search_index_pending > 0 {
            println!(
                "{}{colon} {}",
                self.text(text!(fr: "Index de recherche", en: "Search index")),
                self.count(
                    status.search_index_pending,
                    ["libellé à indexer", "libellés à indexer"],
                    ["label to index", "labels to index"]
                )
            );
        }
    }
}
