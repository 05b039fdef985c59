//! Fixed vocabularies of the Export Administration Regulations that the
//! parser recognises: license exceptions, country groups, reasons for
//! control, and technology categories.
//!
//! License exceptions are listed by section of 15 CFR part 740 as they stand
//! in the eCFR (symbols and short names). Removed exceptions that still
//! appear in older documents (CIV, CTP, LVS's predecessors) are kept so that
//! an old rule's mentions resolve too.

/// A license exception: symbol, section of part 740, short name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LicenseException {
    /// Three-letter symbol (`IEC`).
    pub symbol: &'static str,
    /// Section of 15 CFR part 740 (`740.24`), empty when removed.
    pub section: &'static str,
    /// Short name.
    pub name: &'static str,
}

/// License exceptions of part 740 (plus removed ones older documents cite).
pub static LICENSE_EXCEPTIONS: &[LicenseException] = &[
    LicenseException {
        symbol: "LVS",
        section: "740.3",
        name: "Shipments of limited value",
    },
    LicenseException {
        symbol: "GBS",
        section: "740.4",
        name: "Shipments to Country Group B countries",
    },
    LicenseException {
        symbol: "SPP",
        section: "740.5",
        name: "Syria Peace and Prosperity",
    },
    LicenseException {
        symbol: "TSR",
        section: "740.6",
        name: "Technology and software under restriction",
    },
    LicenseException {
        symbol: "APP",
        section: "740.7",
        name: "Computers",
    },
    LicenseException {
        symbol: "NAC",
        section: "740.8",
        name: "Notified Advanced Computing",
    },
    LicenseException {
        symbol: "ACA",
        section: "740.8",
        name: "Advanced Computing Authorized",
    },
    LicenseException {
        symbol: "TMP",
        section: "740.9",
        name: "Temporary imports, exports, reexports, and transfers (in-country)",
    },
    LicenseException {
        symbol: "RPL",
        section: "740.10",
        name: "Servicing and replacement of parts and equipment",
    },
    LicenseException {
        symbol: "GOV",
        section: "740.11",
        name: "Governments, international organizations, international inspections under the Chemical Weapons Convention, and the International Space Station",
    },
    LicenseException {
        symbol: "GFT",
        section: "740.12",
        name: "Gift parcels and humanitarian donations",
    },
    LicenseException {
        symbol: "TSU",
        section: "740.13",
        name: "Technology and software—unrestricted",
    },
    LicenseException {
        symbol: "BAG",
        section: "740.14",
        name: "Baggage",
    },
    LicenseException {
        symbol: "AVS",
        section: "740.15",
        name: "Aircraft, vessels and spacecraft",
    },
    LicenseException {
        symbol: "APR",
        section: "740.16",
        name: "Additional permissive reexports",
    },
    LicenseException {
        symbol: "ENC",
        section: "740.17",
        name: "Encryption commodities, software, and technology",
    },
    LicenseException {
        symbol: "AGR",
        section: "740.18",
        name: "Agricultural commodities",
    },
    LicenseException {
        symbol: "CCD",
        section: "740.19",
        name: "Consumer Communications Devices",
    },
    LicenseException {
        symbol: "STA",
        section: "740.20",
        name: "Strategic Trade Authorization",
    },
    LicenseException {
        symbol: "SCP",
        section: "740.21",
        name: "Support for the Cuban People",
    },
    LicenseException {
        symbol: "ACE",
        section: "740.22",
        name: "Authorized Cybersecurity Exports",
    },
    LicenseException {
        symbol: "MED",
        section: "740.23",
        name: "Medical Devices",
    },
    LicenseException {
        symbol: "IEC",
        section: "740.24",
        name: "Implemented Export Controls",
    },
    LicenseException {
        symbol: "HBM",
        section: "740.25",
        name: "High Bandwidth Memory",
    },
    LicenseException {
        symbol: "RFF",
        section: "740.26",
        name: "Restricted Fabrication Facility",
    },
    LicenseException {
        symbol: "AIA",
        section: "740.27",
        name: "Artificial Intelligence Authorization",
    },
    LicenseException {
        symbol: "ACM",
        section: "740.28",
        name: "Advanced Compute Manufacturing",
    },
    LicenseException {
        symbol: "LPP",
        section: "740.29",
        name: "Low Processing Performance",
    },
    LicenseException {
        symbol: "CIV",
        section: "",
        name: "Civil end users (removed 2020)",
    },
    LicenseException {
        symbol: "CTP",
        section: "",
        name: "Composite theoretical performance (removed)",
    },
];

/// Looks an exception up by symbol.
pub fn exception_by_symbol(symbol: &str) -> Option<&'static LicenseException> {
    LICENSE_EXCEPTIONS.iter().find(|e| e.symbol == symbol)
}

/// The exceptions a section of part 740 establishes (740.8 has two).
pub fn exceptions_by_section(section: &str) -> impl Iterator<Item = &'static LicenseException> {
    LICENSE_EXCEPTIONS
        .iter()
        .filter(move |e| !e.section.is_empty() && e.section == section)
}

/// EAR country groups (Supplement No. 1 to part 740).
pub static COUNTRY_GROUPS: &[&str] = &[
    "A:1", "A:2", "A:3", "A:4", "A:5", "A:6", "B", "D:1", "D:2", "D:3", "D:4", "D:5", "E:1", "E:2",
];

/// Reasons for control used in ECCN entries.
pub static REASONS_FOR_CONTROL: &[&str] = &[
    "NS", "MT", "NP", "CB", "RS", "CC", "EI", "FC", "SS", "SL", "AT", "UN", "CW", "SI",
];

/// Technology categories: (phrase as it appears, lower case, canonical
/// category). Matched case-insensitively on word boundaries (English) or
/// anywhere (Chinese). Longer phrases win over shorter ones.
pub static TECHNOLOGIES: &[(&str, &str)] = &[
    ("quantum computing", "quantum computing"),
    ("quantum computers", "quantum computing"),
    ("quantum computer", "quantum computing"),
    ("quantum", "quantum computing"),
    (
        "semiconductor manufacturing equipment",
        "semiconductor manufacturing equipment",
    ),
    (
        "semiconductor production equipment",
        "semiconductor manufacturing equipment",
    ),
    (
        "semiconductor manufacturing",
        "semiconductor manufacturing equipment",
    ),
    (
        "semiconductor production",
        "semiconductor manufacturing equipment",
    ),
    (
        "semiconductor manufacturing items",
        "semiconductor manufacturing equipment",
    ),
    (
        "equipment for manufacturing semiconductor devices",
        "semiconductor manufacturing equipment",
    ),
    ("additive manufacturing", "additive manufacturing"),
    ("advanced computing", "advanced computing"),
    ("supercomputer", "supercomputers"),
    ("supercomputers", "supercomputers"),
    ("artificial intelligence", "artificial intelligence"),
    ("model weights", "artificial intelligence"),
    ("high bandwidth memory", "high-bandwidth memory"),
    ("high-bandwidth memory", "high-bandwidth memory"),
    ("integrated circuits", "integrated circuits"),
    ("gate-all-around", "gate-all-around transistors"),
    ("extreme ultraviolet", "EUV lithography"),
    ("photonics", "photonics"),
    ("hypersonic", "hypersonics"),
    ("biotechnology", "biotechnology"),
    ("量子计算", "quantum computing"),
    ("量子", "quantum computing"),
    ("半导体制造设备", "semiconductor manufacturing equipment"),
    ("半导体设备", "semiconductor manufacturing equipment"),
    ("半导体", "semiconductors"),
    ("增材制造", "additive manufacturing"),
    ("先进计算", "advanced computing"),
    ("人工智能", "artificial intelligence"),
    ("超级计算机", "supercomputers"),
];
