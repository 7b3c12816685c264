//! Which column of a price list is which field: header names in French and English, mapped
//! automatically, with explicit overrides (`--map "Code interne=sku"`).

use super::normalize;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Barcode,
    Sku,
    Label,
    Price,
    Vat,
    Department,
    Unit,
    /// The item code a scale prints in its labels (see `scale.rs`).
    Plu,
    Ignore,
}

impl Field {
    pub fn parse(name: &str) -> Option<Field> {
        Some(match normalize(name).as_str() {
            "barcode" | "ean" | "code barre" => Field::Barcode,
            "sku" | "reference" | "ref" => Field::Sku,
            "label" | "libelle" | "designation" => Field::Label,
            "price" | "prix" => Field::Price,
            "vat" | "tva" => Field::Vat,
            "department" | "rayon" => Field::Department,
            "unit" | "unite" => Field::Unit,
            "plu" | "code balance" => Field::Plu,
            "ignore" | "ignorer" | "none" => Field::Ignore,
            _ => return None,
        })
    }

    pub fn code(self) -> &'static str {
        match self {
            Field::Barcode => "barcode",
            Field::Sku => "sku",
            Field::Label => "label",
            Field::Price => "price",
            Field::Vat => "vat",
            Field::Department => "department",
            Field::Unit => "unit",
            Field::Plu => "plu",
            Field::Ignore => "ignore",
        }
    }

    pub fn name_fr(self) -> &'static str {
        match self {
            Field::Barcode => "code-barres",
            Field::Sku => "référence",
            Field::Label => "libellé",
            Field::Price => "prix TTC",
            Field::Vat => "TVA",
            Field::Department => "rayon",
            Field::Unit => "unité",
            Field::Plu => "code balance (PLU)",
            Field::Ignore => "ignorée",
        }
    }
}

/// Header aliases, normalised (see [`normalize`]), with a rank: when two columns claim the
/// same field, the lower rank wins ("PV TTC" beats "Prix"); equal ranks are ambiguous.
const ALIASES: &[(&str, Field, u8)] = &[
    ("ean", Field::Barcode, 0),
    ("ean13", Field::Barcode, 0),
    ("ean 13", Field::Barcode, 0),
    ("ean8", Field::Barcode, 0),
    ("gencod", Field::Barcode, 0),
    ("gencode", Field::Barcode, 0),
    ("code barre", Field::Barcode, 0),
    ("code barres", Field::Barcode, 0),
    ("codebarre", Field::Barcode, 0),
    ("codes barres", Field::Barcode, 0),
    ("barcode", Field::Barcode, 0),
    ("bar code", Field::Barcode, 0),
    ("upc", Field::Barcode, 0),
    ("gtin", Field::Barcode, 0),
    ("code ean", Field::Barcode, 0),
    ("reference", Field::Sku, 0),
    ("ref", Field::Sku, 0),
    ("ref article", Field::Sku, 0),
    ("reference article", Field::Sku, 0),
    ("sku", Field::Sku, 0),
    ("code article", Field::Sku, 0),
    ("code produit", Field::Sku, 0),
    ("item code", Field::Sku, 0),
    ("product code", Field::Sku, 0),
    ("code", Field::Sku, 1),
    ("libelle", Field::Label, 0),
    ("libelle article", Field::Label, 0),
    ("libelle produit", Field::Label, 0),
    ("designation", Field::Label, 0),
    ("nom", Field::Label, 1),
    ("nom produit", Field::Label, 0),
    ("nom du produit", Field::Label, 0),
    ("intitule", Field::Label, 1),
    ("produit", Field::Label, 2),
    ("article", Field::Label, 2),
    ("label", Field::Label, 0),
    ("name", Field::Label, 1),
    ("product name", Field::Label, 0),
    ("description", Field::Label, 2),
    ("prix ttc", Field::Price, 0),
    ("pv ttc", Field::Price, 0),
    ("pvttc", Field::Price, 0),
    ("prix vente ttc", Field::Price, 0),
    ("prix de vente ttc", Field::Price, 0),
    ("prix public ttc", Field::Price, 0),
    ("prix unitaire ttc", Field::Price, 0),
    ("price incl vat", Field::Price, 0),
    ("price incl tax", Field::Price, 0),
    ("prix de vente", Field::Price, 1),
    ("prix vente", Field::Price, 1),
    ("prix public", Field::Price, 1),
    ("pv", Field::Price, 1),
    ("prix", Field::Price, 2),
    ("prix unitaire", Field::Price, 2),
    ("tarif", Field::Price, 2),
    ("price", Field::Price, 2),
    ("unit price", Field::Price, 2),
    ("retail price", Field::Price, 1),
    ("tva", Field::Vat, 0),
    ("taux tva", Field::Vat, 0),
    ("taux de tva", Field::Vat, 0),
    ("tx tva", Field::Vat, 0),
    ("vat", Field::Vat, 0),
    ("vat rate", Field::Vat, 0),
    ("tax", Field::Vat, 1),
    ("tax rate", Field::Vat, 1),
    ("taxe", Field::Vat, 1),
    ("rayon", Field::Department, 0),
    ("famille", Field::Department, 1),
    ("departement", Field::Department, 0),
    ("department", Field::Department, 0),
    ("categorie", Field::Department, 1),
    ("category", Field::Department, 1),
    ("section", Field::Department, 2),
    ("unite", Field::Unit, 0),
    ("unite de vente", Field::Unit, 0),
    ("uv", Field::Unit, 1),
    ("unit", Field::Unit, 0),
    ("plu", Field::Plu, 0),
    ("code plu", Field::Plu, 0),
    ("code balance", Field::Plu, 0),
    ("no balance", Field::Plu, 1),
    ("numero balance", Field::Plu, 1),
    ("touche balance", Field::Plu, 1),
    ("scale code", Field::Plu, 0),
    ("plu code", Field::Plu, 0),
    // Prices without VAT are never the shelf price: ignore them rather than guess.
    ("prix ht", Field::Ignore, 0),
    ("pv ht", Field::Ignore, 0),
    ("prix achat", Field::Ignore, 0),
    ("prix d achat", Field::Ignore, 0),
    ("pa ht", Field::Ignore, 0),
];

/// The field of each column (by index), and the header names, for messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ColumnMap {
    pub headers: Vec<String>,
    pub fields: Vec<Field>,
}

impl ColumnMap {
    pub fn column_of(&self, field: Field) -> Option<usize> {
        self.fields.iter().position(|f| *f == field)
    }

    pub fn columns_of(&self, field: Field) -> impl Iterator<Item = usize> + '_ {
        self.fields
            .iter()
            .enumerate()
            .filter(move |(_, f)| **f == field)
            .map(|(i, _)| i)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MapError {
    #[error("no column for the {} field (use --map \"COLUMN=field\")", .0.code())]
    Missing(Field),
    #[error("columns {0:?} and {1:?} both look like the {field} field: choose with --map", field = .2.code())]
    Ambiguous(String, String, Field),
    #[error("--map {0:?}: expected COLUMN=FIELD with FIELD one of barcode, sku, label, price, vat, department, unit, plu, ignore")]
    BadOverride(String),
    #[error("--map {0:?}: no such column")]
    UnknownColumn(String),
}

impl MapError {
    /// The message in both languages (`Display` is the English).
    pub fn text(&self) -> crate::Text {
        crate::Text {
            fr: self.fr(),
            en: self.to_string(),
        }
    }

    pub(crate) fn fr(&self) -> String {
        match self {
            MapError::Missing(f) => format!(
                "aucune colonne pour le champ {} (précisez-la avec --map \"COLONNE=champ\")",
                f.name_fr()
            ),
            MapError::Ambiguous(a, b, f) => format!(
                "les colonnes « {a} » et « {b} » ressemblent toutes deux à {} : choisissez avec --map",
                f.name_fr()
            ),
            MapError::BadOverride(o) => format!(
                "--map « {o} » : attendu COLONNE=CHAMP (barcode, sku, label, price, vat, department, unit, plu, ignore)"
            ),
            MapError::UnknownColumn(c) => format!("--map « {c} » : colonne inconnue"),
        }
    }
}

fn alias(header: &str) -> Option<(Field, u8)> {
    let name = normalize(header);
    let lookup = |n: &str| {
        ALIASES
            .iter()
            .find(|(a, _, _)| *a == n)
            .map(|(_, f, r)| (*f, *r))
    };
    lookup(&name).or_else(|| {
        // "EAN 2", "Code barre 3": numbered extra columns of the same field.
        let trimmed = name
            .trim_end_matches(|c: char| c.is_ascii_digit())
            .trim_end();
        lookup(trimmed).filter(|(f, _)| *f == Field::Barcode)
    })
}

/// Maps `headers` to fields. `overrides` are `COLUMN=FIELD` where COLUMN is a header name
/// (compared after normalisation) or a 1-based column number.
pub fn map_headers(headers: &[String], overrides: &[String]) -> Result<ColumnMap, MapError> {
    let mut fields = Vec::with_capacity(headers.len());
    let mut ranks = Vec::with_capacity(headers.len());
    for header in headers {
        let (field, rank) = alias(header).unwrap_or((Field::Ignore, u8::MAX));
        fields.push(field);
        ranks.push(rank);
    }
    let mut forced = vec![false; headers.len()];
    for text in overrides {
        let (column, field) = text
            .rsplit_once('=')
            .ok_or_else(|| MapError::BadOverride(text.clone()))?;
        let field = Field::parse(field).ok_or_else(|| MapError::BadOverride(text.clone()))?;
        let index = column
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=headers.len()).contains(n))
            .map(|n| n - 1)
            .or_else(|| {
                headers
                    .iter()
                    .position(|h| normalize(h) == normalize(column))
            })
            .ok_or_else(|| MapError::UnknownColumn(column.to_string()))?;
        if field != Field::Barcode && field != Field::Ignore {
            // The forced column takes the field from whichever column had it.
            for (i, f) in fields.iter_mut().enumerate() {
                if *f == field && !forced[i] {
                    *f = Field::Ignore;
                }
            }
        }
        fields[index] = field;
        ranks[index] = 0;
        forced[index] = true;
    }
    resolve_duplicates(headers, &mut fields, &ranks, &forced)?;
    for required in [Field::Label, Field::Price] {
        if !fields.contains(&required) {
            return Err(MapError::Missing(required));
        }
    }
    Ok(ColumnMap {
        headers: headers.to_vec(),
        fields,
    })
}

/// Single-valued fields keep their best-ranked column; a tie is an error.
fn resolve_duplicates(
    headers: &[String],
    fields: &mut [Field],
    ranks: &[u8],
    forced: &[bool],
) -> Result<(), MapError> {
    for field in [
        Field::Sku,
        Field::Label,
        Field::Price,
        Field::Vat,
        Field::Department,
        Field::Unit,
    ] {
        let claimants: Vec<usize> = (0..fields.len()).filter(|&i| fields[i] == field).collect();
        if claimants.len() < 2 {
            continue;
        }
        let best = claimants
            .iter()
            .copied()
            .min_by_key(|&i| (!forced[i], ranks[i]))
            .expect("at least two claimants");
        let tie = claimants
            .iter()
            .copied()
            .find(|&i| i != best && ranks[i] == ranks[best] && forced[i] == forced[best]);
        if let Some(other) = tie {
            return Err(MapError::Ambiguous(
                headers[best].clone(),
                headers[other].clone(),
                field,
            ));
        }
        for i in claimants {
            if i != best {
                fields[i] = Field::Ignore;
            }
        }
    }
    Ok(())
}
