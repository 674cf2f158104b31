//! Governance holds the wasm admin right of all three contracts, its own
//! included (SPEC v2 §2, §5; issue 13), and migrates them by proposal: a
//! real migration installs the fund at the next version (the `fund-next`
//! fixture: one field added to its stored config) keeping every balance
//! and index; a downgrade and a foreign contract are refused.

use clearing_suite::{wasm_execute, GovernanceSpec, Suite, SuiteBuilder};
use clearing_types::fund;
use clearing_types::governance::{self, Status, Vote, VoteWeighting};
use cosmwasm_std::{to_json_binary, Addr, CosmosMsg, Decimal, Empty, WasmMsg};
use cw_multi_test::{Contract, ContractWrapper, Executor};
use cw_utils::Threshold;

const DAY: u64 = 86_400;
const TIMELOCK: u64 = 2 * DAY;

fn fund_next_contract() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            fund_next::contract::execute,
            fund_next::contract::instantiate,
            fund_next::contract::query,
        )
        .with_sudo(fund_next::contract::sudo)
        .with_migrate(fund_next::next::migrate),
    )
}

/// Four members, SITG, fees distributed and a default already absorbed:
/// a fund whose balances, fee index and history are all in use.
fn suite() -> Suite {
    let mut suite = SuiteBuilder::new()
        .sitg(1_000)
        .member("alice", 5_000, 4_000, 400)
        .member("bob", 4_000, 3_000, 300)
        .member("carol", 3_000, 2_000, 200)
        .member("dave", 2_000, 1_000, 100)
        .with_governance(GovernanceSpec {
            threshold: Threshold::AbsolutePercentage {
                percentage: Decimal::percent(51),
            },
            voting_period: 7 * DAY,
            timelock: TIMELOCK,
            execution_window: 7 * DAY,
            weighting: VoteWeighting::FundBalance,
        })
        .build();
    suite.distribute_fees(1_000).unwrap();
    // dave: margin 2,000, stake 100 and fees 100, SITG 1,000, then 350
    // of the survivors' 900.
    let r = suite.declare_default("dave", 3_550).unwrap();
    assert_eq!(r.layers.mutual_fund.u128(), 350);
    suite.next_block();
    suite
}

fn code_id(suite: &Suite, contract: &Addr) -> u64 {
    suite
        .app
        .wrap()
        .query_wasm_contract_info(contract)
        .unwrap()
        .code_id
}

fn admin_of(suite: &Suite, contract: &Addr) -> Option<Addr> {
    suite
        .app
        .wrap()
        .query_wasm_contract_info(contract)
        .unwrap()
        .admin
}

fn migrate_msg(contract: &Addr, new_code_id: u64) -> CosmosMsg {
    WasmMsg::Migrate {
        contract_addr: contract.to_string(),
        new_code_id,
        msg: to_json_binary(&fund::MigrateMsg {}).unwrap(),
    }
    .into()
}

/// Alice proposes, bob and carol vote yes while it is open; after the
/// timelock, a keeper executes it.
fn enact(suite: &mut Suite, msgs: Vec<CosmosMsg>) -> anyhow::Result<u64> {
    let id = suite.propose("alice", msgs)?;
    for voter in ["bob", "carol"] {
        if suite.proposal(id).status == Status::Open {
            suite.vote(voter, id, Vote::Yes)?;
        }
    }
    assert_eq!(suite.proposal(id).status, Status::Passed);
    suite.advance(TIMELOCK);
    suite.execute_proposal(id)?;
    Ok(id)
}

/// The fund's stored value at `key`, as JSON.
fn raw_json(suite: &Suite, contract: &Addr, key: &[u8]) -> serde_json::Value {
    let bytes = suite
        .app
        .wrap()
        .query_wasm_raw(contract.to_string(), key.to_vec())
        .unwrap()
        .expect("stored");
    serde_json::from_slice(&bytes).unwrap()
}

#[test]
fn governance_is_the_wasm_admin_of_all_three() {
    let mut suite = suite();
    let gov = suite.gov();
    for contract in [suite.vault.clone(), suite.fund.clone(), gov.clone()] {
        assert_eq!(admin_of(&suite, &contract), Some(gov.clone()));
    }
    // The deployer kept nothing.
    let (admin, fund) = (suite.admin.clone(), suite.fund.clone());
    let code = code_id(&suite, &fund);
    let err = suite
        .app
        .migrate_contract(admin, fund, &fund::MigrateMsg {}, code)
        .unwrap_err();
    assert!(
        format!("{err:?}").contains("Only admin can migrate"),
        "{err:?}"
    );
}

#[test]
fn a_proposal_installs_the_next_fund_keeping_every_balance_and_index() {
    let mut suite = suite();
    let fund = suite.fund.clone();
    let v2_code = code_id(&suite, &fund);
    let next_code = suite.app.store_code(fund_next_contract());
    let v2_config = raw_json(&suite, &fund, b"config");
    assert!(v2_config.get("migrated_from").is_none());
    let before = suite.clearing_snapshot();
    let weights_before: governance::VoterResponse = suite.query_gov(&governance::QueryMsg::Voter {
        address: suite.addr("bob").to_string(),
        proposal_id: None,
    });

    enact(&mut suite, vec![migrate_msg(&fund, next_code)]).unwrap();

    assert_eq!(code_id(&suite, &fund), next_code);
    assert_ne!(next_code, v2_code);
    let version = raw_json(&suite, &fund, b"contract_info");
    assert_eq!(version["contract"], "crates.io:default-fund");
    assert_eq!(
        version["version"],
        fund_next::contract::CONTRACT_VERSION,
        "the next minor version"
    );
    assert_ne!(
        fund_next::contract::CONTRACT_VERSION,
        default_fund::contract::CONTRACT_VERSION
    );
    // The record gained its field; everything else is as it was.
    let config = raw_json(&suite, &fund, b"config");
    assert_eq!(
        config["migrated_from"],
        format!(
            "crates.io:default-fund@{}",
            default_fund::contract::CONTRACT_VERSION
        )
    );
    let mut without = config.clone();
    without.as_object_mut().unwrap().remove("migrated_from");
    assert_eq!(without, v2_config);
    assert_eq!(suite.clearing_snapshot(), before);
    let weights_after: governance::VoterResponse = suite.query_gov(&governance::QueryMsg::Voter {
        address: suite.addr("bob").to_string(),
        proposal_id: None,
    });
    assert_eq!(weights_after, weights_before);

    // Business goes on under the new code, on the old books.
    let fees = suite.fund_member("alice").fees_claimable.u128();
    assert!(fees > 0);
    let wallet = suite.balance_of("alice");
    suite.claim_fees("alice").unwrap();
    assert_eq!(suite.balance_of("alice"), wallet + fees);
    let bob = suite.fund_member("bob").balance.u128();
    suite.contribute("bob", 50).unwrap();
    assert_eq!(suite.fund_member("bob").balance.u128(), bob + 50);
    suite.distribute_fees(300).unwrap();
    let r = suite.declare_default("carol", 2_100).unwrap();
    assert_eq!(r.layers.total().unwrap().u128(), 2_100);
    suite.assert_conservation();
    // And governance weighs the next proposal from the same snapshots.
    suite.next_block();
    let shut = wasm_execute(&suite.gov(), &governance::ExecuteMsg::Shutdown {});
    let id = suite.propose("alice", vec![shut]).unwrap();
    let p = suite.proposal(id);
    assert_eq!(
        p.opening_total.u128(),
        suite.fund_state().total_contributions.u128()
    );
}

#[test]
fn a_downgrade_and_a_foreign_contract_are_refused() {
    let mut suite = suite();
    let (fund, vault) = (suite.fund.clone(), suite.vault.clone());
    let v2_code = code_id(&suite, &fund);
    let next_code = suite.app.store_code(fund_next_contract());

    // The vault is not a fund: the fixture's migrate refuses it.
    let id = suite
        .propose("alice", vec![migrate_msg(&vault, next_code)])
        .unwrap();
    suite.vote("bob", id, Vote::Yes).unwrap();
    suite.advance(TIMELOCK);
    let err = suite.refused(|s| s.execute_proposal(id));
    let e = err.downcast_ref::<fund_next::ContractError>().unwrap();
    assert!(e.to_string().contains("crates.io:margin-vault"), "{e}");
    assert_eq!(suite.proposal(id).status, Status::Passed);

    // Up to the next version, then back down: refused.
    enact(&mut suite, vec![migrate_msg(&fund, next_code)]).unwrap();
    let id = suite
        .propose("alice", vec![migrate_msg(&fund, v2_code)])
        .unwrap();
    suite.vote("bob", id, Vote::Yes).unwrap();
    suite.advance(TIMELOCK);
    let err = suite.refused(|s| s.execute_proposal(id));
    let e = err.downcast_ref::<default_fund::ContractError>().unwrap();
    assert!(e.to_string().contains("newer"), "{e}");
    assert_eq!(code_id(&suite, &fund), next_code);
}

#[test]
fn governance_migrates_itself_by_proposal() {
    let mut suite = suite();
    let gov = suite.gov();
    let code = code_id(&suite, &gov);
    // A new code of governance (the same program stored again).
    let new_code = suite.app.store_code(clearing_suite::governance_contract());
    let msg: CosmosMsg = WasmMsg::Migrate {
        contract_addr: gov.to_string(),
        new_code_id: new_code,
        msg: to_json_binary(&governance::MigrateMsg {}).unwrap(),
    }
    .into();
    let id = enact(&mut suite, vec![msg]).unwrap();
    assert_ne!(code, new_code);
    assert_eq!(code_id(&suite, &gov), new_code);
    // Its proposals and rules carried over.
    assert_eq!(suite.proposal(id).status, Status::Executed);
    assert_eq!(admin_of(&suite, &gov), Some(gov));
}
