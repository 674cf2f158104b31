//! Addresses back to the names a reader knows: contract errors and event
//! attributes speak bech32 (`cosmwasm1…`), the report speaks `atlas`.

use std::collections::HashMap;

use cosmwasm_std::testing::MockApi;
use cosmwasm_std::Addr;

use crate::scenario::RESERVED_IDS;

#[derive(Clone, Debug, Default)]
pub struct Names {
    by_addr: HashMap<String, String>,
}

impl Names {
    /// Every member and every account the suite makes with `addr_make`.
    pub fn new<'a>(api: &MockApi, members: impl IntoIterator<Item = &'a str>) -> Self {
        let mut names = Names::default();
        for name in RESERVED_IDS.into_iter().chain(members) {
            names.insert(&api.addr_make(name), name);
        }
        names
    }

    pub fn insert(&mut self, addr: &Addr, name: &str) {
        self.by_addr.insert(addr.to_string(), name.to_string());
    }

    /// `text` with every known address replaced by its name.
    pub fn humanize(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find(|c: char| c.is_ascii_alphanumeric()) {
            out.push_str(&rest[..start]);
            rest = &rest[start..];
            let end = rest
                .find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(rest.len());
            let word = &rest[..end];
            out.push_str(self.by_addr.get(word).map_or(word, String::as_str));
            rest = &rest[end..];
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_become_names_and_the_rest_stays() {
        let api = MockApi::default();
        let names = Names::new(&api, ["atlas"]);
        let atlas = api.addr_make("atlas");
        let keeper = api.addr_make("keeper");
        let stranger = api.addr_make("stranger");
        let text = format!("member {atlas} is in default; {keeper}, {stranger}.");
        assert_eq!(
            names.humanize(&text),
            format!("member atlas is in default; keeper, {stranger}.")
        );
        assert_eq!(names.humanize("nothing is owed"), "nothing is owed");
        assert_eq!(names.humanize(""), "");
    }
}
