//! Helpers for the fund and vault flow tests (SPEC v2): both settlement
//! assets, the typed refusals of the shared exit rule, and governance's
//! levers on the fund as one-liners.

use anyhow::Result as AnyResult;
use clearing_types::fund::{self, DefaultReceipt, FundParams};
use clearing_types::ledger::{Blocked, Overdue};
use cosmwasm_std::{Decimal256, Timestamp, Uint128};
use cw_multi_test::AppResponse;

use crate::{contract_error, Settlement, Suite};

pub const DAY: u64 = 86_400;

/// Runs a test on a native and on a cw20 deployment.
pub fn both(test: impl Fn(Settlement)) {
    test(Settlement::Native);
    test(Settlement::Cw20);
}

/// The default fund's typed refusal.
pub fn fund_err(e: &anyhow::Error) -> &default_fund::ContractError {
    contract_error::<default_fund::ContractError>(e)
}

/// The margin vault's typed refusal.
pub fn vault_err(e: &anyhow::Error) -> &margin_vault::ContractError {
    contract_error::<margin_vault::ContractError>(e)
}

/// What is overdue, for [`Blocked::Overdue`].
pub fn overdue(assessments: u128, replenishment: u128) -> Blocked {
    Blocked::Overdue(Overdue {
        assessments: Uint128::new(assessments),
        replenishment: Uint128::new(replenishment),
    })
}

/// The fund's refusal of an exit (claim, exit, wind-down) by the shared rule.
pub fn fund_blocked(b: Blocked) -> default_fund::ContractError {
    default_fund::ContractError::from(b)
}

/// The vault's refusal of a margin withdrawal by the shared rule.
pub fn vault_blocked(b: Blocked) -> margin_vault::ContractError {
    margin_vault::ContractError::ExitBlocked {
        reason: b.to_string(),
    }
}

/// `num / den` as the fund shows exact figures (18 decimals, rounded up).
pub fn exact(num: u128, den: u128) -> Decimal256 {
    let d = Decimal256::from_ratio(num, den);
    if Decimal256::from_ratio(num, 1u128) == d * Decimal256::from_ratio(den, 1u128) {
        d
    } else {
        d + Decimal256::raw(1)
    }
}

/// An attribute of the first event of type `ty` (`wasm`, `wasm-default`, …)
/// that has it.
pub fn attr(res: &AppResponse, ty: &str, key: &str) -> Option<String> {
    res.events
        .iter()
        .filter(|e| e.ty == ty)
        .flat_map(|e| e.attributes.iter())
        .find(|a| a.key == key)
        .map(|a| a.value.clone())
}

impl Suite {
    /// The block time, to the nanosecond (due dates are `now + period`).
    pub fn time(&self) -> Timestamp {
        self.app.block_info().time
    }

    /// Moves the block time on to the next whole second (and the next
    /// block), for tests whose figures are whole seconds.
    pub fn align_to_second(&mut self) {
        self.app.update_block(|b| {
            b.time = Timestamp::from_seconds(b.time.seconds() + 1);
            b.height += 1;
        });
    }

    /// Governance declares a default (any size: no risk-engine limit).
    pub fn declare_default_by_governance(
        &mut self,
        name: &str,
        loss: u128,
    ) -> AnyResult<DefaultReceipt> {
        let gov = self.governor();
        let msg = fund::ExecuteMsg::DeclareDefault {
            member: self.addr(name).to_string(),
            loss: Uint128::new(loss),
        };
        self.execute_fund(&gov, &msg)?;
        let id = self.fund_state().defaults;
        Ok(self.query_fund(&fund::QueryMsg::Default { id }))
    }

    /// Governance changes the parameters now in force with `change`.
    pub fn change_params(
        &mut self,
        change: impl FnOnce(&mut FundParams),
    ) -> AnyResult<AppResponse> {
        let mut params = self.params();
        change(&mut params);
        self.update_params(params)
    }

    /// The operator takes out what is left of the SITG tranche.
    pub fn withdraw_sitg(&mut self) -> AnyResult<AppResponse> {
        let operator = self.operator.clone();
        self.execute_fund(&operator, &fund::ExecuteMsg::WithdrawSitg {})
    }

    /// Governance pauses or unpauses the fund.
    pub fn pause_fund(&mut self, paused: bool) -> AnyResult<AppResponse> {
        let gov = self.governor();
        self.execute_fund(&gov, &fund::ExecuteMsg::SetPause { paused })
    }

    /// Chain governance lifts a suspension through `sudo`.
    pub fn sudo_unsuspend(&mut self, name: &str) -> AnyResult<AppResponse> {
        let fund = self.fund.clone();
        let msg = fund::SudoMsg::Unsuspend {
            member: self.addr(name).to_string(),
        };
        self.app.wasm_sudo(fund, &msg)
    }

    /// A member's default-fund balance, in whole units.
    pub fn stake(&self, name: &str) -> u128 {
        self.fund_member(name).balance.u128()
    }

    /// A member's margin in the vault.
    pub fn margin(&self, name: &str) -> u128 {
        self.vault_member(name).balance.u128()
    }

    /// What a member owes in assessments, due or not.
    pub fn owed(&self, name: &str) -> u128 {
        self.fund_member(name).assessment_owed.u128()
    }

    /// The loss recipient's wallet.
    pub fn recipient_wallet(&self) -> u128 {
        self.balance(&self.loss_recipient)
    }
}
