//! Country and region names, mapped to ISO 3166-1 alpha-2 codes.
//!
//! regwatch has to recognise a country however a source happens to write
//! it: US export regulations (the EAR in 15 CFR, Federal Register notices)
//! use their own spellings ("Korea, South", "Burma", "China (PRC)"), other
//! US and international texts use ISO or everyday forms ("South Korea",
//! "Myanmar", "PRC"), and Chinese-language reports use Chinese names. This
//! table maps all of them to one code so that every later stage compares
//! codes, never strings.
//!
//! Where the names come from:
//!
//! - Codes: the 249 officially assigned ISO 3166-1 alpha-2 codes, plus "EU"
//!   (European Union, exceptionally reserved by ISO) and "XK" (Kosovo, a
//!   user-assigned code in common use).
//! - [`Country::name`]: the spelling of the EAR Country Groups table
//!   (Supplement No. 1 to 15 CFR part 740, eCFR as of 2026-07-23) where the
//!   country appears there, otherwise the common English short name.
//! - [`ALIASES`]: the ISO 3166-1 English short names where they differ from
//!   `name`, other spellings found in the EAR and the Federal Register,
//!   formal names, abbreviations ("UK", "U.S.", "PRC", "DPRK"), and
//!   simplified Chinese names.
//!
//! Forms that are ordinary lower-case English words, or that are ambiguous
//! in US regulatory text (a bare "Congo", "Korea", "Georgia" variants), are
//! deliberately left out. Matching is case-sensitive; a leading "the" is
//! stripped by the matcher, so "the Netherlands" needs no alias.

/// One country or region regwatch can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code (upper case); "EU" for the European Union, "XK" for Kosovo.
    pub code: &'static str,
    /// Display name: the form used in the EAR Country Groups table (Supplement No. 1 to 15 CFR part 740) when the country appears there (e.g. "Korea, South", "Burma", "Türkiye", "Russia", "Taiwan", "Hong Kong"), otherwise the common English short name.
    pub name: &'static str,
}

/// Every country/region, sorted by code.
#[rustfmt::skip]
pub static COUNTRIES: &[Country] = &[
    Country { code: "AD", name: "Andorra" },
    Country { code: "AE", name: "United Arab Emirates" },
    Country { code: "AF", name: "Afghanistan" },
    Country { code: "AG", name: "Antigua and Barbuda" },
    Country { code: "AI", name: "Anguilla" },
    Country { code: "AL", name: "Albania" },
    Country { code: "AM", name: "Armenia" },
    Country { code: "AO", name: "Angola" },
    Country { code: "AQ", name: "Antarctica" },
    Country { code: "AR", name: "Argentina" },
    Country { code: "AS", name: "American Samoa" },
    Country { code: "AT", name: "Austria" },
    Country { code: "AU", name: "Australia" },
    Country { code: "AW", name: "Aruba" },
    Country { code: "AX", name: "Åland Islands" },
    Country { code: "AZ", name: "Azerbaijan" },
    Country { code: "BA", name: "Bosnia & Herzegovina" },
    Country { code: "BB", name: "Barbados" },
    Country { code: "BD", name: "Bangladesh" },
    Country { code: "BE", name: "Belgium" },
    Country { code: "BF", name: "Burkina Faso" },
    Country { code: "BG", name: "Bulgaria" },
    Country { code: "BH", name: "Bahrain" },
    Country { code: "BI", name: "Burundi" },
    Country { code: "BJ", name: "Benin" },
    Country { code: "BL", name: "Saint Barthélemy" },
    Country { code: "BM", name: "Bermuda" },
    Country { code: "BN", name: "Brunei" },
    Country { code: "BO", name: "Bolivia" },
    Country { code: "BQ", name: "Bonaire, Sint Eustatius and Saba" },
    Country { code: "BR", name: "Brazil" },
    Country { code: "BS", name: "The Bahamas" },
    Country { code: "BT", name: "Bhutan" },
    Country { code: "BV", name: "Bouvet Island" },
    Country { code: "BW", name: "Botswana" },
    Country { code: "BY", name: "Belarus" },
    Country { code: "BZ", name: "Belize" },
    Country { code: "CA", name: "Canada" },
    Country { code: "CC", name: "Cocos (Keeling) Islands" },
    Country { code: "CD", name: "Congo (Democratic Republic of the)" },
    Country { code: "CF", name: "Central African Republic" },
    Country { code: "CG", name: "Congo (Republic of the)" },
    Country { code: "CH", name: "Switzerland" },
    Country { code: "CI", name: "Cote d'Ivoire" },
    Country { code: "CK", name: "Cook Islands" },
    Country { code: "CL", name: "Chile" },
    Country { code: "CM", name: "Cameroon" },
    Country { code: "CN", name: "China" },
    Country { code: "CO", name: "Colombia" },
    Country { code: "CR", name: "Costa Rica" },
    Country { code: "CU", name: "Cuba" },
    Country { code: "CV", name: "Cape Verde" },
    Country { code: "CW", name: "Curaçao" },
    Country { code: "CX", name: "Christmas Island" },
    Country { code: "CY", name: "Cyprus" },
    Country { code: "CZ", name: "Czech Republic" },
    Country { code: "DE", name: "Germany" },
    Country { code: "DJ", name: "Djibouti" },
    Country { code: "DK", name: "Denmark" },
    Country { code: "DM", name: "Dominica" },
    Country { code: "DO", name: "Dominican Republic" },
    Country { code: "DZ", name: "Algeria" },
    Country { code: "EC", name: "Ecuador" },
    Country { code: "EE", name: "Estonia" },
    Country { code: "EG", name: "Egypt" },
    Country { code: "EH", name: "Western Sahara" },
    Country { code: "ER", name: "Eritrea" },
    Country { code: "ES", name: "Spain" },
    Country { code: "ET", name: "Ethiopia" },
    Country { code: "EU", name: "European Union" },
    Country { code: "FI", name: "Finland" },
    Country { code: "FJ", name: "Fiji" },
    Country { code: "FK", name: "Falkland Islands" },
    Country { code: "FM", name: "Micronesia, Federated States of" },
    Country { code: "FO", name: "Faroe Islands" },
    Country { code: "FR", name: "France" },
    Country { code: "GA", name: "Gabon" },
    Country { code: "GB", name: "United Kingdom" },
    Country { code: "GD", name: "Grenada" },
    Country { code: "GE", name: "Georgia" },
    Country { code: "GF", name: "French Guiana" },
    Country { code: "GG", name: "Guernsey" },
    Country { code: "GH", name: "Ghana" },
    Country { code: "GI", name: "Gibraltar" },
    Country { code: "GL", name: "Greenland" },
    Country { code: "GM", name: "Gambia, The" },
    Country { code: "GN", name: "Guinea" },
    Country { code: "GP", name: "Guadeloupe" },
    Country { code: "GQ", name: "Equatorial Guinea" },
    Country { code: "GR", name: "Greece" },
    Country { code: "GS", name: "South Georgia and the South Sandwich Islands" },
    Country { code: "GT", name: "Guatemala" },
    Country { code: "GU", name: "Guam" },
    Country { code: "GW", name: "Guinea-Bissau" },
    Country { code: "GY", name: "Guyana" },
    Country { code: "HK", name: "Hong Kong" },
    Country { code: "HM", name: "Heard Island and McDonald Islands" },
    Country { code: "HN", name: "Honduras" },
    Country { code: "HR", name: "Croatia" },
    Country { code: "HT", name: "Haiti" },
    Country { code: "HU", name: "Hungary" },
    Country { code: "ID", name: "Indonesia" },
    Country { code: "IE", name: "Ireland" },
    Country { code: "IL", name: "Israel" },
    Country { code: "IM", name: "Isle of Man" },
    Country { code: "IN", name: "India" },
    Country { code: "IO", name: "British Indian Ocean Territory" },
    Country { code: "IQ", name: "Iraq" },
    Country { code: "IR", name: "Iran" },
    Country { code: "IS", name: "Iceland" },
    Country { code: "IT", name: "Italy" },
    Country { code: "JE", name: "Jersey" },
    Country { code: "JM", name: "Jamaica" },
    Country { code: "JO", name: "Jordan" },
    Country { code: "JP", name: "Japan" },
    Country { code: "KE", name: "Kenya" },
    Country { code: "KG", name: "Kyrgyzstan" },
    Country { code: "KH", name: "Cambodia" },
    Country { code: "KI", name: "Kiribati" },
    Country { code: "KM", name: "Comoros" },
    Country { code: "KN", name: "Saint Kitts & Nevis" },
    Country { code: "KP", name: "Korea, North" },
    Country { code: "KR", name: "Korea, South" },
    Country { code: "KW", name: "Kuwait" },
    Country { code: "KY", name: "Cayman Islands" },
    Country { code: "KZ", name: "Kazakhstan" },
    Country { code: "LA", name: "Laos" },
    Country { code: "LB", name: "Lebanon" },
    Country { code: "LC", name: "Saint Lucia" },
    Country { code: "LI", name: "Liechtenstein" },
    Country { code: "LK", name: "Sri Lanka" },
    Country { code: "LR", name: "Liberia" },
    Country { code: "LS", name: "Lesotho" },
    Country { code: "LT", name: "Lithuania" },
    Country { code: "LU", name: "Luxembourg" },
    Country { code: "LV", name: "Latvia" },
    Country { code: "LY", name: "Libya" },
    Country { code: "MA", name: "Morocco" },
    Country { code: "MC", name: "Monaco" },
    Country { code: "MD", name: "Moldova" },
    Country { code: "ME", name: "Montenegro" },
    Country { code: "MF", name: "Saint Martin" },
    Country { code: "MG", name: "Madagascar" },
    Country { code: "MH", name: "Marshall Islands" },
    Country { code: "MK", name: "North Macedonia" },
    Country { code: "ML", name: "Mali" },
    Country { code: "MM", name: "Burma" },
    Country { code: "MN", name: "Mongolia" },
    Country { code: "MO", name: "Macau" },
    Country { code: "MP", name: "Northern Mariana Islands" },
    Country { code: "MQ", name: "Martinique" },
    Country { code: "MR", name: "Mauritania" },
    Country { code: "MS", name: "Montserrat" },
    Country { code: "MT", name: "Malta" },
    Country { code: "MU", name: "Mauritius" },
    Country { code: "MV", name: "Maldives" },
    Country { code: "MW", name: "Malawi" },
    Country { code: "MX", name: "Mexico" },
    Country { code: "MY", name: "Malaysia" },
    Country { code: "MZ", name: "Mozambique" },
    Country { code: "NA", name: "Namibia" },
    Country { code: "NC", name: "New Caledonia" },
    Country { code: "NE", name: "Niger" },
    Country { code: "NF", name: "Norfolk Island" },
    Country { code: "NG", name: "Nigeria" },
    Country { code: "NI", name: "Nicaragua" },
    Country { code: "NL", name: "Netherlands" },
    Country { code: "NO", name: "Norway" },
    Country { code: "NP", name: "Nepal" },
    Country { code: "NR", name: "Nauru" },
    Country { code: "NU", name: "Niue" },
    Country { code: "NZ", name: "New Zealand" },
    Country { code: "OM", name: "Oman" },
    Country { code: "PA", name: "Panama" },
    Country { code: "PE", name: "Peru" },
    Country { code: "PF", name: "French Polynesia" },
    Country { code: "PG", name: "Papua New Guinea" },
    Country { code: "PH", name: "Philippines" },
    Country { code: "PK", name: "Pakistan" },
    Country { code: "PL", name: "Poland" },
    Country { code: "PM", name: "Saint Pierre and Miquelon" },
    Country { code: "PN", name: "Pitcairn Islands" },
    Country { code: "PR", name: "Puerto Rico" },
    Country { code: "PS", name: "Palestine" },
    Country { code: "PT", name: "Portugal" },
    Country { code: "PW", name: "Palau" },
    Country { code: "PY", name: "Paraguay" },
    Country { code: "QA", name: "Qatar" },
    Country { code: "RE", name: "Réunion" },
    Country { code: "RO", name: "Romania" },
    Country { code: "RS", name: "Serbia" },
    Country { code: "RU", name: "Russia" },
    Country { code: "RW", name: "Rwanda" },
    Country { code: "SA", name: "Saudi Arabia" },
    Country { code: "SB", name: "Solomon Islands" },
    Country { code: "SC", name: "Seychelles" },
    Country { code: "SD", name: "Sudan" },
    Country { code: "SE", name: "Sweden" },
    Country { code: "SG", name: "Singapore" },
    Country { code: "SH", name: "Saint Helena, Ascension and Tristan da Cunha" },
    Country { code: "SI", name: "Slovenia" },
    Country { code: "SJ", name: "Svalbard and Jan Mayen" },
    Country { code: "SK", name: "Slovakia" },
    Country { code: "SL", name: "Sierra Leone" },
    Country { code: "SM", name: "San Marino" },
    Country { code: "SN", name: "Senegal" },
    Country { code: "SO", name: "Somalia" },
    Country { code: "SR", name: "Suriname" },
    Country { code: "SS", name: "South Sudan, Republic of" },
    Country { code: "ST", name: "Sao Tome & Principe" },
    Country { code: "SV", name: "El Salvador" },
    Country { code: "SX", name: "Sint Maarten" },
    Country { code: "SY", name: "Syria" },
    Country { code: "SZ", name: "Eswatini" },
    Country { code: "TC", name: "Turks and Caicos Islands" },
    Country { code: "TD", name: "Chad" },
    Country { code: "TF", name: "French Southern Territories" },
    Country { code: "TG", name: "Togo" },
    Country { code: "TH", name: "Thailand" },
    Country { code: "TJ", name: "Tajikistan" },
    Country { code: "TK", name: "Tokelau" },
    Country { code: "TL", name: "Timor-Leste" },
    Country { code: "TM", name: "Turkmenistan" },
    Country { code: "TN", name: "Tunisia" },
    Country { code: "TO", name: "Tonga" },
    Country { code: "TR", name: "Türkiye" },
    Country { code: "TT", name: "Trinidad & Tobago" },
    Country { code: "TV", name: "Tuvalu" },
    Country { code: "TW", name: "Taiwan" },
    Country { code: "TZ", name: "Tanzania" },
    Country { code: "UA", name: "Ukraine" },
    Country { code: "UG", name: "Uganda" },
    Country { code: "UM", name: "United States Minor Outlying Islands" },
    Country { code: "US", name: "United States" },
    Country { code: "UY", name: "Uruguay" },
    Country { code: "UZ", name: "Uzbekistan" },
    Country { code: "VA", name: "Vatican City" },
    Country { code: "VC", name: "Saint Vincent and the Grenadines" },
    Country { code: "VE", name: "Venezuela" },
    Country { code: "VG", name: "British Virgin Islands" },
    Country { code: "VI", name: "U.S. Virgin Islands" },
    Country { code: "VN", name: "Vietnam" },
    Country { code: "VU", name: "Vanuatu" },
    Country { code: "WF", name: "Wallis and Futuna" },
    Country { code: "WS", name: "Samoa" },
    Country { code: "XK", name: "Kosovo" },
    Country { code: "YE", name: "Yemen" },
    Country { code: "YT", name: "Mayotte" },
    Country { code: "ZA", name: "South Africa" },
    Country { code: "ZM", name: "Zambia" },
    Country { code: "ZW", name: "Zimbabwe" },
];

/// Other spellings mapped to codes: (form as written, code). Case-sensitive, exactly as the form appears in text.
#[rustfmt::skip]
pub static ALIASES: &[(&str, &str)] = &[
    // English: ISO 3166-1 short names that differ from `name`, EAR and
    // Federal Register variants, formal names and abbreviations.
    ("UAE", "AE"),
    ("U.A.E.", "AE"),
    ("Aland Islands", "AX"),
    ("Bosnia and Herzegovina", "BA"),
    ("Bosnia-Herzegovina", "BA"),
    ("Saint Barthelemy", "BL"),
    ("Brunei Darussalam", "BN"),
    ("Bolivia, Plurinational State of", "BO"),
    ("Plurinational State of Bolivia", "BO"),
    ("Bahamas", "BS"),
    ("Bahamas, The", "BS"),
    ("Congo, The Democratic Republic of the", "CD"),
    ("Congo (Democratic Republic of)", "CD"),
    ("Democratic Republic of the Congo", "CD"),
    ("Democratic Republic of Congo", "CD"),
    ("Congo, Democratic Republic of the", "CD"),
    ("Congo (Kinshasa)", "CD"),
    ("DRC", "CD"),
    ("Republic of the Congo", "CG"),
    ("Republic of Congo", "CG"),
    ("Congo, Republic of the", "CG"),
    ("Congo (Brazzaville)", "CG"),
    ("Côte d'Ivoire", "CI"),
    ("Cote d'lvoire", "CI"),
    ("Ivory Coast", "CI"),
    ("China (PRC)", "CN"),
    ("Zaire", "CD"),
    ("Kazakstan", "KZ"),
    ("PRC", "CN"),
    ("People's Republic of China", "CN"),
    ("Mainland China", "CN"),
    ("China, People's Republic of", "CN"),
    // The Commerce Country Chart (Supplement No. 1 to part 738, eCFR
    // 2026-09-01) spells it so.
    ("Seycheles", "SC"),
    ("Micronesia (Federated State of)", "FM"),
    ("China (People's Republic of)", "CN"),
    ("Cabo Verde", "CV"),
    ("Curacao", "CW"),
    ("Czechia", "CZ"),
    ("EU", "EU"),
    ("EU members", "EU"),
    ("EU member states", "EU"),
    ("EU Member States", "EU"),
    ("European Union member states", "EU"),
    ("European Union Member States", "EU"),
    ("Falkland Islands (Malvinas)", "FK"),
    ("Micronesia", "FM"),
    ("Federated States of Micronesia", "FM"),
    ("Micronesia (Federated States of)", "FM"),
    ("UK", "GB"),
    ("U.K.", "GB"),
    ("Britain", "GB"),
    ("Great Britain", "GB"),
    ("United Kingdom of Great Britain and Northern Ireland", "GB"),
    ("Gambia", "GM"),
    ("Hong Kong SAR", "HK"),
    ("Hong Kong Special Administrative Region", "HK"),
    ("Hong Kong Special Administrative Region of China", "HK"),
    ("Iran, Islamic Republic of", "IR"),
    ("Islamic Republic of Iran", "IR"),
    ("Kyrgyz Republic", "KG"),
    ("Saint Kitts and Nevis", "KN"),
    ("St. Kitts and Nevis", "KN"),
    ("St. Kitts & Nevis", "KN"),
    ("Korea, Democratic People's Republic of", "KP"),
    ("North Korea", "KP"),
    ("Democratic People's Republic of Korea", "KP"),
    ("Korea (Democratic People's Republic of)", "KP"),
    ("DPRK", "KP"),
    ("Korea, Republic of", "KR"),
    ("South Korea", "KR"),
    ("Republic of Korea", "KR"),
    ("Korea (Republic of)", "KR"),
    ("ROK", "KR"),
    ("Lao People's Democratic Republic", "LA"),
    ("Lao PDR", "LA"),
    ("St. Lucia", "LC"),
    ("Moldova, Republic of", "MD"),
    ("Republic of Moldova", "MD"),
    ("Saint Martin (French part)", "MF"),
    ("Macedonia", "MK"),
    ("Republic of North Macedonia", "MK"),
    ("Former Yugoslav Republic of Macedonia", "MK"),
    ("Myanmar", "MM"),
    ("Macao", "MO"),
    ("Macau SAR", "MO"),
    ("Macao SAR", "MO"),
    ("Macao Special Administrative Region of China", "MO"),
    ("Netherlands, Kingdom of the", "NL"),
    ("Kingdom of the Netherlands", "NL"),
    ("Pitcairn", "PN"),
    ("Palestine, State of", "PS"),
    ("State of Palestine", "PS"),
    ("Palestinian Territories", "PS"),
    ("Palestinian Territory", "PS"),
    ("Occupied Palestinian Territory", "PS"),
    ("West Bank", "PS"),
    ("Gaza", "PS"),
    ("Gaza Strip", "PS"),
    ("West Bank and Gaza", "PS"),
    ("Russian Federation", "RU"),
    ("Slovak Republic", "SK"),
    ("South Sudan", "SS"),
    ("Republic of South Sudan", "SS"),
    ("Sao Tome and Principe", "ST"),
    ("São Tomé and Príncipe", "ST"),
    ("Sint Maarten (Dutch part)", "SX"),
    ("Sint Maarten (the Dutch two-fifths of the island of Saint Martin)", "SX"),
    ("Syrian Arab Republic", "SY"),
    ("Swaziland", "SZ"),
    ("East Timor", "TL"),
    ("Turkey", "TR"),
    ("Turkiye", "TR"),
    ("Trinidad and Tobago", "TT"),
    ("Taiwan, Province of China", "TW"),
    ("Chinese Taipei", "TW"),
    ("Tanzania, United Republic of", "TZ"),
    ("United Republic of Tanzania", "TZ"),
    ("United States of America", "US"),
    ("U.S.", "US"),
    ("USA", "US"),
    ("U.S.A.", "US"),
    ("US", "US"),
    ("Holy See (Vatican City State)", "VA"),
    ("Holy See", "VA"),
    ("Vatican City State", "VA"),
    ("Vatican", "VA"),
    ("St. Vincent and the Grenadines", "VC"),
    ("Venezuela, Bolivarian Republic of", "VE"),
    ("Bolivarian Republic of Venezuela", "VE"),
    ("Virgin Islands, British", "VG"),
    ("Virgin Islands (British)", "VG"),
    ("Virgin Islands, U.S.", "VI"),
    ("Virgin Islands (U.S.)", "VI"),
    ("United States Virgin Islands", "VI"),
    ("US Virgin Islands", "VI"),
    ("Viet Nam", "VN"),
    // Chinese (simplified) names, as used in Chinese-language reports.
    ("安道尔", "AD"),
    ("阿联酋", "AE"),
    ("阿拉伯联合酋长国", "AE"),
    ("阿富汗", "AF"),
    ("安提瓜和巴布达", "AG"),
    ("阿尔巴尼亚", "AL"),
    ("亚美尼亚", "AM"),
    ("安哥拉", "AO"),
    ("阿根廷", "AR"),
    ("奥地利", "AT"),
    ("澳大利亚", "AU"),
    ("澳洲", "AU"),
    ("阿鲁巴", "AW"),
    ("阿塞拜疆", "AZ"),
    ("波斯尼亚和黑塞哥维那", "BA"),
    ("波黑", "BA"),
    ("巴巴多斯", "BB"),
    ("孟加拉国", "BD"),
    ("比利时", "BE"),
    ("布基纳法索", "BF"),
    ("保加利亚", "BG"),
    ("巴林", "BH"),
    ("布隆迪", "BI"),
    ("贝宁", "BJ"),
    ("百慕大", "BM"),
    ("文莱", "BN"),
    ("玻利维亚", "BO"),
    ("巴西", "BR"),
    ("巴哈马", "BS"),
    ("不丹", "BT"),
    ("博茨瓦纳", "BW"),
    ("白俄罗斯", "BY"),
    ("伯利兹", "BZ"),
    ("加拿大", "CA"),
    ("刚果（金）", "CD"),
    ("刚果(金)", "CD"),
    ("刚果民主共和国", "CD"),
    ("中非共和国", "CF"),
    ("刚果（布）", "CG"),
    ("刚果(布)", "CG"),
    ("刚果共和国", "CG"),
    ("瑞士", "CH"),
    ("科特迪瓦", "CI"),
    ("智利", "CL"),
    ("喀麦隆", "CM"),
    ("中国", "CN"),
    ("中华人民共和国", "CN"),
    ("中国大陆", "CN"),
    ("哥伦比亚", "CO"),
    ("哥斯达黎加", "CR"),
    ("古巴", "CU"),
    ("佛得角", "CV"),
    ("库拉索", "CW"),
    ("塞浦路斯", "CY"),
    ("捷克", "CZ"),
    ("捷克共和国", "CZ"),
    ("德国", "DE"),
    ("吉布提", "DJ"),
    ("丹麦", "DK"),
    ("多米尼克", "DM"),
    ("多米尼加", "DO"),
    ("多米尼加共和国", "DO"),
    ("阿尔及利亚", "DZ"),
    ("厄瓜多尔", "EC"),
    ("爱沙尼亚", "EE"),
    ("埃及", "EG"),
    ("西撒哈拉", "EH"),
    ("厄立特里亚", "ER"),
    ("西班牙", "ES"),
    ("埃塞俄比亚", "ET"),
    ("欧盟", "EU"),
    ("欧洲联盟", "EU"),
    ("芬兰", "FI"),
    ("斐济", "FJ"),
    ("密克罗尼西亚", "FM"),
    ("法国", "FR"),
    ("加蓬", "GA"),
    ("英国", "GB"),
    ("格林纳达", "GD"),
    ("格鲁吉亚", "GE"),
    ("加纳", "GH"),
    ("直布罗陀", "GI"),
    ("格陵兰", "GL"),
    ("冈比亚", "GM"),
    ("几内亚", "GN"),
    ("赤道几内亚", "GQ"),
    ("希腊", "GR"),
    ("危地马拉", "GT"),
    ("关岛", "GU"),
    ("几内亚比绍", "GW"),
    ("圭亚那", "GY"),
    ("香港", "HK"),
    ("中国香港", "HK"),
    ("洪都拉斯", "HN"),
    ("克罗地亚", "HR"),
    ("海地", "HT"),
    ("匈牙利", "HU"),
    ("印度尼西亚", "ID"),
    ("印尼", "ID"),
    ("爱尔兰", "IE"),
    ("以色列", "IL"),
    ("印度", "IN"),
    ("伊拉克", "IQ"),
    ("伊朗", "IR"),
    ("冰岛", "IS"),
    ("意大利", "IT"),
    ("牙买加", "JM"),
    ("约旦", "JO"),
    ("日本", "JP"),
    ("肯尼亚", "KE"),
    ("吉尔吉斯斯坦", "KG"),
    ("柬埔寨", "KH"),
    ("基里巴斯", "KI"),
    ("科摩罗", "KM"),
    ("圣基茨和尼维斯", "KN"),
    ("朝鲜", "KP"),
    ("韩国", "KR"),
    ("科威特", "KW"),
    ("开曼群岛", "KY"),
    ("哈萨克斯坦", "KZ"),
    ("老挝", "LA"),
    ("黎巴嫩", "LB"),
    ("圣卢西亚", "LC"),
    ("列支敦士登", "LI"),
    ("斯里兰卡", "LK"),
    ("利比里亚", "LR"),
    ("莱索托", "LS"),
    ("立陶宛", "LT"),
    ("卢森堡", "LU"),
    ("拉脱维亚", "LV"),
    ("利比亚", "LY"),
    ("摩洛哥", "MA"),
    ("摩纳哥", "MC"),
    ("摩尔多瓦", "MD"),
    ("黑山", "ME"),
    ("马达加斯加", "MG"),
    ("马绍尔群岛", "MH"),
    ("北马其顿", "MK"),
    ("马里", "ML"),
    ("缅甸", "MM"),
    ("蒙古", "MN"),
    ("蒙古国", "MN"),
    ("澳门", "MO"),
    ("中国澳门", "MO"),
    ("毛里塔尼亚", "MR"),
    ("马耳他", "MT"),
    ("毛里求斯", "MU"),
    ("马尔代夫", "MV"),
    ("马拉维", "MW"),
    ("墨西哥", "MX"),
    ("马来西亚", "MY"),
    ("莫桑比克", "MZ"),
    ("纳米比亚", "NA"),
    ("尼日尔", "NE"),
    ("尼日利亚", "NG"),
    ("尼加拉瓜", "NI"),
    ("荷兰", "NL"),
    ("挪威", "NO"),
    ("尼泊尔", "NP"),
    ("瑙鲁", "NR"),
    ("新西兰", "NZ"),
    ("阿曼", "OM"),
    ("巴拿马", "PA"),
    ("秘鲁", "PE"),
    ("巴布亚新几内亚", "PG"),
    ("菲律宾", "PH"),
    ("巴基斯坦", "PK"),
    ("波兰", "PL"),
    ("波多黎各", "PR"),
    ("巴勒斯坦", "PS"),
    ("葡萄牙", "PT"),
    ("帕劳", "PW"),
    ("巴拉圭", "PY"),
    ("卡塔尔", "QA"),
    ("罗马尼亚", "RO"),
    ("塞尔维亚", "RS"),
    ("俄罗斯", "RU"),
    ("俄罗斯联邦", "RU"),
    ("卢旺达", "RW"),
    ("沙特阿拉伯", "SA"),
    ("沙特", "SA"),
    ("所罗门群岛", "SB"),
    ("塞舌尔", "SC"),
    ("苏丹", "SD"),
    ("瑞典", "SE"),
    ("新加坡", "SG"),
    ("斯洛文尼亚", "SI"),
    ("斯洛伐克", "SK"),
    ("塞拉利昂", "SL"),
    ("圣马力诺", "SM"),
    ("塞内加尔", "SN"),
    ("索马里", "SO"),
    ("苏里南", "SR"),
    ("南苏丹", "SS"),
    ("圣多美和普林西比", "ST"),
    ("萨尔瓦多", "SV"),
    ("叙利亚", "SY"),
    ("斯威士兰", "SZ"),
    ("埃斯瓦蒂尼", "SZ"),
    ("乍得", "TD"),
    ("多哥", "TG"),
    ("泰国", "TH"),
    ("塔吉克斯坦", "TJ"),
    ("东帝汶", "TL"),
    ("土库曼斯坦", "TM"),
    ("突尼斯", "TN"),
    ("汤加", "TO"),
    ("土耳其", "TR"),
    ("特立尼达和多巴哥", "TT"),
    ("图瓦卢", "TV"),
    ("台湾", "TW"),
    ("中国台湾", "TW"),
    ("坦桑尼亚", "TZ"),
    ("乌克兰", "UA"),
    ("乌干达", "UG"),
    ("美国", "US"),
    ("美利坚合众国", "US"),
    ("乌拉圭", "UY"),
    ("乌兹别克斯坦", "UZ"),
    ("梵蒂冈", "VA"),
    ("圣文森特和格林纳丁斯", "VC"),
    ("委内瑞拉", "VE"),
    ("越南", "VN"),
    ("瓦努阿图", "VU"),
    ("萨摩亚", "WS"),
    ("科索沃", "XK"),
    ("也门", "YE"),
    ("南非", "ZA"),
    ("赞比亚", "ZM"),
    ("津巴布韦", "ZW"),
];

/// A region of a country that export regulations treat as a destination
/// of its own: the Crimea region of Ukraine and the so-called Donetsk and
/// Luhansk People's Republic regions (EAR § 740.2(a)(6), § 746.6, the
/// Country Chart's footnotes). A region is a place apart from its country:
/// "Ukraine" alone is Ukraine, never one of its regions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// regwatch's id: the parent's ISO code, a hyphen and a short key
    /// (`UA-DNR`). Not an ISO 3166-2 code: the EAR's regions are not ISO
    /// subdivisions (the Crimea region includes Sevastopol; the so-called
    /// DNR and LNR are not the oblasts).
    pub code: &'static str,
    /// The country it is a region of (ISO 3166-1 alpha-2).
    pub parent: &'static str,
    /// Display name, in the EAR's words.
    pub name: &'static str,
}

/// Every region regwatch names.
#[rustfmt::skip]
pub static REGIONS: &[Region] = &[
    Region { code: "UA-CRIMEA", parent: "UA", name: "Crimea region of Ukraine" },
    Region { code: "UA-DNR", parent: "UA", name: "so-called Donetsk People's Republic (DNR) region of Ukraine" },
    Region { code: "UA-LNR", parent: "UA", name: "so-called Luhansk People's Republic (LNR) region of Ukraine" },
];

/// How the EAR writes the regions (as in § 740.2(a)(6) and the Country
/// Chart's footnotes, eCFR 2026-09-01): (form, region id). Case-sensitive.
/// The People's Republics count only with "so-called", their
/// abbreviation or "region(s) of Ukraine" beside them: the bare name is
/// also a party on the Entity List. A shared "… (DNR) and … (LNR)
/// regions of Ukraine" is read as two regions, the trailing words going
/// with the second.
#[rustfmt::skip]
pub static REGION_FORMS: &[(&str, &str)] = &[
    ("Crimea region of Ukraine", "UA-CRIMEA"),
    ("Crimea Region of Ukraine", "UA-CRIMEA"),
    ("Crimea region", "UA-CRIMEA"),
    ("Crimea Region", "UA-CRIMEA"),
    ("so-called Donetsk People's Republic (DNR) region of Ukraine", "UA-DNR"),
    ("so-called Donetsk People's Republic (DNR)", "UA-DNR"),
    ("so-called Donetsk People's Republic", "UA-DNR"),
    ("Donetsk People's Republic (DNR) region of Ukraine", "UA-DNR"),
    ("Donetsk People's Republic (DNR)", "UA-DNR"),
    ("so-called Luhansk People's Republic (LNR) regions of Ukraine", "UA-LNR"),
    ("so-called Luhansk People's Republic (LNR) region of Ukraine", "UA-LNR"),
    ("so-called Luhansk People's Republic (LNR)", "UA-LNR"),
    ("so-called Luhansk People's Republic", "UA-LNR"),
    ("Luhansk People's Republic (LNR) regions of Ukraine", "UA-LNR"),
    ("Luhansk People's Republic (LNR) region of Ukraine", "UA-LNR"),
    ("Luhansk People's Republic (LNR)", "UA-LNR"),
];

/// The region with this id.
pub fn region(code: &str) -> Option<&'static Region> {
    REGIONS.iter().find(|r| r.code == code)
}

/// The region a whole name stands for, in any case ("CRIMEA REGION OF
/// UKRAINE", the Entity List's country cell).
pub fn region_of_any_case(name: &str) -> Option<&'static Region> {
    let name = name.trim();
    REGION_FORMS
        .iter()
        .find(|(form, _)| form.eq_ignore_ascii_case(name))
        .and_then(|(_, id)| region(id))
}

/// Display name of an ISO code (`KR` → "Korea, South") or of a region id
/// (`UA-DNR`).
pub fn name_of(code: &str) -> Option<&'static str> {
    COUNTRIES
        .iter()
        .find(|c| c.code == code)
        .map(|c| c.name)
        .or_else(|| region(code).map(|r| r.name))
}

/// Looks one country name (or alias) up exactly, ignoring a leading "the".
pub fn code_of(name: &str) -> Option<&'static str> {
    let name = name.trim().trim_start_matches("the ").trim();
    COUNTRIES
        .iter()
        .find(|c| c.name == name)
        .map(|c| c.code)
        .or_else(|| ALIASES.iter().find(|(a, _)| *a == name).map(|(_, c)| *c))
}

/// Like [`code_of`], then ignoring case, for tables that write names in
/// capitals ("CHINA, PEOPLE'S REPUBLIC OF" in the Entity List).
pub fn code_of_any_case(name: &str) -> Option<&'static str> {
    code_of(name).or_else(|| {
        let name = name.trim();
        COUNTRIES
            .iter()
            .map(|c| (c.name, c.code))
            .chain(ALIASES.iter().copied())
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, c)| c)
    })
}

#[cfg(test)]
mod tests {
    use super::{ALIASES, COUNTRIES, REGION_FORMS, REGIONS, code_of, name_of, region};
    use std::collections::HashSet;

    #[test]
    fn regions_have_a_known_parent_and_forms_a_known_region() {
        let codes: HashSet<&str> = COUNTRIES.iter().map(|c| c.code).collect();
        for r in REGIONS {
            assert!(codes.contains(r.parent), "{}: parent {}", r.code, r.parent);
            assert!(r.code.starts_with(&format!("{}-", r.parent)), "{}", r.code);
            assert_eq!(name_of(r.code), Some(r.name));
        }
        for (form, id) in REGION_FORMS {
            assert!(region(id).is_some(), "{form:?} → unknown region {id}");
            // A region's form is never a country's: lookups of table
            // cells (code_of) keep meaning countries only.
            assert_eq!(code_of(form), None, "{form:?}");
        }
        assert_eq!(code_of("Ukraine"), Some("UA"));
        assert_eq!(name_of("UA"), Some("Ukraine"));
    }

    #[test]
    fn countries_sorted_unique_and_well_formed() {
        for pair in COUNTRIES.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "not sorted or duplicate: {} then {}",
                pair[0].code,
                pair[1].code
            );
        }
        for c in COUNTRIES {
            assert_eq!(c.code.len(), 2, "code {:?} is not two letters", c.code);
            assert!(
                c.code.bytes().all(|b| b.is_ascii_uppercase()),
                "code {:?} is not upper-case ASCII",
                c.code
            );
            assert!(!c.name.is_empty(), "empty name for {}", c.code);
        }
        // 249 ISO 3166-1 codes plus EU and XK.
        assert_eq!(COUNTRIES.len(), 251);
    }

    #[test]
    fn names_unique() {
        let mut seen = HashSet::new();
        for c in COUNTRIES {
            assert!(seen.insert(c.name), "duplicate name {:?}", c.name);
        }
    }

    #[test]
    fn alias_codes_exist() {
        let codes: HashSet<&str> = COUNTRIES.iter().map(|c| c.code).collect();
        for (form, code) in ALIASES {
            assert!(
                codes.contains(code),
                "alias {form:?} maps to unknown code {code}"
            );
        }
    }

    #[test]
    fn aliases_unique_and_non_empty() {
        let mut seen = HashSet::new();
        for (form, _) in ALIASES {
            assert!(!form.is_empty(), "empty alias");
            assert_eq!(
                form.trim(),
                *form,
                "alias {form:?} has surrounding whitespace"
            );
            assert!(seen.insert(*form), "duplicate alias {form:?}");
        }
    }

    #[test]
    fn no_alias_equals_a_name() {
        let names: HashSet<&str> = COUNTRIES.iter().map(|c| c.name).collect();
        for (form, code) in ALIASES {
            assert!(
                !names.contains(form),
                "alias {form:?} ({code}) equals a name"
            );
        }
    }
}
