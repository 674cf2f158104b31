//! Helpers for the access matrix and the bad-input catalogue: chain
//! governance (`sudo`) calls, and a refusal check that also compares the
//! figures `Suite::snapshot` does not show (the fund's and the vault's
//! books, the coverage, every known member's obligations).

use std::fmt::Debug;

use anyhow::Result as AnyResult;
use clearing_types::{fund, vault};
use cosmwasm_std::{Addr, StdResult};
use cw_multi_test::AppResponse;

use crate::Suite;

impl Suite {
    /// Chain governance calls the fund's `sudo` entry point.
    pub fn sudo_fund(&mut self, msg: &fund::SudoMsg) -> AnyResult<AppResponse> {
        let fund = self.fund.clone();
        self.app.wasm_sudo(fund, msg)
    }

    /// Chain governance calls the vault's `sudo` entry point.
    pub fn sudo_vault(&mut self, msg: &vault::SudoMsg) -> AnyResult<AppResponse> {
        let vault = self.vault.clone();
        self.app.wasm_sudo(vault, msg)
    }

    /// What `Suite::snapshot` leaves out: the fund's books (holdings and
    /// bank balance), the vault's books, the coverage (top exposures and
    /// the next recalibration) and every known member's obligations. A
    /// query that fails is shown as its error, so that a refusal that
    /// breaks a query shows up too.
    pub fn books_snapshot(&self) -> String {
        fn shown<T: Debug>(r: StdResult<T>) -> String {
            match r {
                Ok(v) => format!("{v:?}"),
                Err(e) => format!("error: {e}"),
            }
        }
        let q = self.app.wrap();
        let mut out = vec![
            shown(q.query_wasm_smart::<fund::BooksResponse>(&self.fund, &fund::QueryMsg::Books {})),
            shown(q.query_wasm_smart::<fund::CoverageResponse>(
                &self.fund,
                &fund::QueryMsg::Coverage {},
            )),
            shown(q.query_wasm_smart::<vault::VaultBooksResponse>(
                &self.vault,
                &vault::QueryMsg::Books {},
            )),
        ];
        for name in &self.names {
            let address: Addr = self.addr(name);
            out.push(format!(
                "{name}: {}",
                shown(q.query_wasm_smart::<fund::ObligationsResponse>(
                    &self.fund,
                    &fund::QueryMsg::Obligations {
                        address: address.to_string(),
                    },
                ))
            ));
        }
        out.join("\n")
    }

    /// [`Suite::refused`], and the books, coverage and obligations are as
    /// they were too. Returns the error for the caller to inspect.
    pub fn refused_fully<T: Debug>(
        &mut self,
        f: impl FnOnce(&mut Suite) -> AnyResult<T>,
    ) -> anyhow::Error {
        let before = self.books_snapshot();
        let err = self.refused(f);
        let after = self.books_snapshot();
        assert_eq!(
            before, after,
            "a refused message changed the books: {err:?}"
        );
        err
    }
}
