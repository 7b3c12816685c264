//! Generated data: a realistic French catalogue and sales, the same for every run (a fixed
//! seed), so that figures compare across runs.

use std::fmt::Write as _;

/// A small deterministic generator (xorshift64*): no dependency, same data every run.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const NOUNS: &[&str] = &[
    "Café",
    "Crème",
    "Pain",
    "Baguette",
    "Croissant",
    "Chocolat",
    "Thé",
    "Confiture",
    "Fromage",
    "Yaourt",
    "Lait",
    "Beurre",
    "Jus",
    "Eau",
    "Vin",
    "Bière",
    "Biscuit",
    "Gâteau",
    "Tarte",
    "Savon",
    "Shampoing",
    "Cahier",
    "Stylo",
    "Livre",
    "Journal",
    "Bougie",
    "Tasse",
    "Assiette",
    "Serviette",
    "Éponge",
    "Pâtes",
    "Riz",
    "Farine",
    "Sucre",
    "Sel",
    "Poivre",
    "Huile",
    "Vinaigre",
    "Moutarde",
    "Miel",
    "Céréales",
    "Compote",
    "Sardines",
    "Thon",
    "Jambon",
    "Saucisson",
    "Pâté",
    "Quiche",
    "Salade",
    "Soupe",
];
const ADJECTIVES: &[&str] = &[
    "bio",
    "fraîche",
    "noir",
    "blanc",
    "complet",
    "au lait",
    "aux amandes",
    "vanille",
    "fraise",
    "citron",
    "nature",
    "allégé",
    "entier",
    "demi-écrémé",
    "fumé",
    "doux",
    "extra",
    "artisanal",
    "de campagne",
    "à l'ancienne",
    "pur beurre",
    "sans sucre",
    "épicé",
    "grillé",
    "torréfié",
];
const BRANDS: &[&str] = &[
    "Maison Martin",
    "Les Près",
    "Bonne Mère",
    "Du Terroir",
    "Saint-Michel",
    "La Laitière",
    "Vieux Moulin",
    "Côte d'Or",
    "Belle-Île",
    "Ker Breizh",
    "Le Petit Marché",
    "Mont Blanc",
];
const SIZES: &[&str] = &[
    "250g", "500g", "1kg", "33cl", "75cl", "1L", "x6", "x12", "200g", "125g", "2L", "",
];
const DEPARTMENTS: &[(&str, &str)] = &[
    ("Épicerie", "5,5"),
    ("Boissons", "20"),
    ("Crèmerie", "5,5"),
    ("Boulangerie", "5,5"),
    ("Droguerie", "20"),
    ("Papeterie", "20"),
    ("Presse", "2,1"),
    ("Traiteur", "10"),
];

/// An EAN-13 with a right check digit, from a 12-digit number.
pub fn ean13(body: u64) -> String {
    let digits = format!("{:012}", body % 1_000_000_000_000);
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    format!("{digits}{}", (10 - sum % 10) % 10)
}

/// The barcodes of product `i` (1 to 3 of them; the first is always `ean13(3_760_000_000_000 + i)`).
pub fn barcodes_of(i: u64) -> Vec<String> {
    let count = 1 + (i % 3);
    (0..count)
        .map(|k| ean13(376_000_000_000 + i + k * 10_000_000))
        .collect()
}

pub fn label_of(rng: &mut Rng) -> String {
    let mut label = format!(
        "{} {} {}",
        rng.pick(NOUNS),
        rng.pick(ADJECTIVES),
        rng.pick(BRANDS)
    );
    let size = rng.pick(SIZES);
    if !size.is_empty() {
        label.push(' ');
        label.push_str(size);
    }
    label
}

/// A catalogue as French Excel would export it: `;`, decimal comma, UTF-8 with BOM.
pub fn catalog_csv(products: u64) -> String {
    let mut rng = Rng::new(42);
    let mut out = String::with_capacity(products as usize * 90);
    out.push_str("\u{feff}Référence;EAN;Libellé;Prix TTC;TVA;Rayon\n");
    for i in 0..products {
        let (department, vat) = DEPARTMENTS[rng.below(DEPARTMENTS.len() as u64) as usize];
        let price = 50 + rng.below(5_000);
        let label = label_of(&mut rng);
        writeln!(
            out,
            "R{i:07};{};{label};{},{:02};{vat};{department}",
            barcodes_of(i).join("|"),
            price / 100,
            price % 100
        )
        .expect("writing to a String");
    }
    out
}

/// Words someone would type to find a product: one or two word prefixes.
pub fn search_query(rng: &mut Rng) -> String {
    let noun = relais_core::catalog::normalize(rng.pick(NOUNS));
    let adjective = relais_core::catalog::normalize(rng.pick(ADJECTIVES));
    let cut = |w: &str, n: usize| w.chars().take(n).collect::<String>();
    match rng.below(3) {
        0 => cut(&noun, 3 + rng.below(3) as usize),
        1 => format!("{} {}", cut(&noun, 4), cut(&adjective, 3)),
        _ => format!("{} {}", cut(&adjective, 4), cut(&noun, 3)),
    }
}
