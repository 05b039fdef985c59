#![no_main]
//! Auto-detecting entry point: `parse` on arbitrary bytes, and the same
//! bytes as the FR API record (`metadata`) kept beside a small FR XML rule.

use libfuzzer_sys::fuzz_target;
use regwatch::parse::{Input, parse};

const FR_XML: &str = r#"<RULE>
<PREAMB>
<AGENCY TYPE="N">DEPARTMENT OF COMMERCE</AGENCY>
<SUBAGY>Bureau of Industry and Security</SUBAGY>
<CFR>15 CFR Part 740</CFR>
<SUBJECT>Fuzz Rule</SUBJECT>
<EFFDATE><HD SOURCE="HED">DATES:</HD><P>This rule is effective September 6, 2024. Comments must be received by November 5, 2024.</P></EFFDATE>
</PREAMB>
<SUPLINF><HD SOURCE="HED">SUPPLEMENTARY INFORMATION:</HD><P>Background text.</P></SUPLINF>
<FRDOC>[FR Doc. 2024-19633 Filed 9-5-24; 8:45 am]</FRDOC>
</RULE>"#;

fuzz_target!(|data: &[u8]| {
    let _ = parse(&Input::new(data));
    let _ = parse(&Input {
        bytes: FR_XML.as_bytes(),
        metadata: Some(data),
        ..Input::default()
    });
});
