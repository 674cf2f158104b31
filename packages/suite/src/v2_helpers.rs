//! Helpers for the SPEC v2 §7–§8 tests (sizing, recoveries, exits, the
//! on-chain books): recording recoveries from any sender, reading the
//! books of both contracts, and breaking them on purpose by writing
//! crafted state straight into a contract's storage.

use anyhow::Result as AnyResult;
use clearing_types::fund::{self, BooksResponse, DefaultReceipt};
use clearing_types::fund_storage::{FundTotals, TOTALS as FUND_TOTALS};
use clearing_types::vault;
use cosmwasm_std::{coins, Addr, Uint128};
use cw_multi_test::AppResponse;

use crate::{Suite, DENOM};

impl Suite {
    /// `sender` records a recovery of `amount` against `default_id`,
    /// minting the tokens into its wallet first.
    pub fn record_recovery_from(
        &mut self,
        sender: &Addr,
        default_id: u64,
        amount: u128,
    ) -> AnyResult<AppResponse> {
        self.mint(sender, amount)?;
        self.pay_recovery_from(sender, default_id, amount)
    }

    /// `sender` pays `amount` it already holds as a recovery against
    /// `default_id` (for refusals: nothing is minted inside them).
    pub fn pay_recovery_from(
        &mut self,
        sender: &Addr,
        default_id: u64,
        amount: u128,
    ) -> AnyResult<AppResponse> {
        let fund = self.fund.clone();
        self.pay_into(
            sender,
            &fund,
            amount,
            &fund::ExecuteMsg::RecordRecovery { default_id },
            &fund::ReceiveMsg::RecordRecovery { default_id },
        )
    }

    /// The receipt of one default.
    pub fn default_receipt(&self, id: u64) -> DefaultReceipt {
        self.query_fund(&fund::QueryMsg::Default { id })
    }

    /// The fund's top exposures as `(member name, exposure)`, largest
    /// first; a name is one of [`Suite::names`].
    pub fn top_exposures_named(&self) -> Vec<(String, u128)> {
        self.coverage()
            .top_exposures
            .into_iter()
            .map(|t| (self.name_of(&t.member), t.exposure.u128()))
            .collect()
    }

    /// The member name behind an address (panics for an unknown one).
    pub fn name_of(&self, address: &Addr) -> String {
        self.names
            .iter()
            .find(|n| self.addr(n) == *address)
            .cloned()
            .unwrap_or_else(|| panic!("{address} is no member of this suite"))
    }

    /// The fund's books as it checks them (SPEC v2 §4).
    pub fn fund_books(&self) -> BooksResponse {
        self.query_fund(&fund::QueryMsg::Books {})
    }

    /// The vault's books as its query shows them.
    pub fn vault_books(&self) -> vault::VaultBooksResponse {
        self.query_vault(&vault::QueryMsg::Books {})
    }

    /// The fund's `TOTALS`, read raw from its storage.
    pub fn fund_totals_raw(&self) -> FundTotals {
        let storage = self.app.contract_storage(&self.fund);
        FUND_TOTALS.load(&*storage).expect("fund totals")
    }

    /// Writes crafted `TOTALS` into the fund's storage: a test-only way to
    /// break its books.
    pub fn tamper_fund_totals(&mut self, change: impl FnOnce(&mut FundTotals)) {
        let mut totals = self.fund_totals_raw();
        change(&mut totals);
        let fund = self.fund.clone();
        let mut storage = self.app.contract_storage_mut(&fund);
        FUND_TOTALS
            .save(&mut *storage, &totals)
            .expect("fund totals");
    }

    /// The fund's `COUNTERS` (holdings, unpaid shares, recovery credits
    /// held), read raw from its storage.
    pub fn fund_counters_raw(&self) -> default_fund::state::Counters {
        let storage = self.app.contract_storage(&self.fund);
        default_fund::state::COUNTERS
            .load(&*storage)
            .expect("fund counters")
    }

    /// Writes crafted `COUNTERS` into the fund's storage: a test-only way
    /// to break its books.
    pub fn tamper_fund_counters(
        &mut self,
        change: impl FnOnce(&mut default_fund::state::Counters),
    ) {
        let mut counters = self.fund_counters_raw();
        change(&mut counters);
        let fund = self.fund.clone();
        let mut storage = self.app.contract_storage_mut(&fund);
        default_fund::state::COUNTERS
            .save(&mut *storage, &counters)
            .expect("fund counters");
    }

    /// The vault's `TOTALS`, read raw from its storage.
    pub fn vault_totals_raw(&self) -> margin_vault::state::Totals {
        let storage = self.app.contract_storage(&self.vault);
        margin_vault::state::TOTALS
            .load(&*storage)
            .expect("vault totals")
    }

    /// Writes crafted `TOTALS` into the vault's storage.
    pub fn tamper_vault_totals(&mut self, change: impl FnOnce(&mut margin_vault::state::Totals)) {
        let mut totals = self.vault_totals_raw();
        change(&mut totals);
        let vault = self.vault.clone();
        let mut storage = self.app.contract_storage_mut(&vault);
        margin_vault::state::TOTALS
            .save(&mut *storage, &totals)
            .expect("vault totals");
    }

    /// Sets `who`'s bank balance of the native settlement denom, as if the
    /// bank module had burnt (or minted) the difference.
    pub fn set_bank_balance(&mut self, who: &Addr, amount: u128) {
        let who = who.clone();
        self.app
            .init_modules(|router, _, storage| {
                router
                    .bank
                    .init_balance(storage, &who, coins(amount, DENOM))
            })
            .expect("bank balance set");
    }

    /// The books of both contracts match the tokens they hold, to the unit:
    /// the fund's `holdings` is its token balance and covers every claim;
    /// the vault's `holdings` is its token balance and equals the margin.
    pub fn assert_books_match_tokens(&self) {
        let books = self.fund_books();
        let held = Uint128::new(self.balance(&self.fund));
        assert_eq!(books.holdings, held, "fund holdings vs tokens: {books:?}");
        assert!(books.claims <= books.holdings, "fund claims: {books:?}");
        if self.token.is_none() {
            assert_eq!(books.bank_balance, Some(held));
        } else {
            assert_eq!(books.bank_balance, None);
        }
        let v = self.vault_totals_raw();
        let vault_held = Uint128::new(self.balance(&self.vault));
        assert_eq!(v.holdings, vault_held, "vault holdings vs tokens: {v:?}");
        assert_eq!(v.total_margin, v.holdings, "vault margin: {v:?}");
        self.assert_conservation();
    }
}
