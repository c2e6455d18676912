//! The built-in pack: the OFAC SDN address lists, the GraphSense TagPacks and two ransomware
//! address lists, shipped gzip-compressed inside the binary (see `assets/SOURCE.md` for origin,
//! licence and date of each file) and written into a label store on first use, so screening
//! works on a fresh install before any import.

use std::io::Read;

use crate::error::LabelError;
use crate::import::{parse, Parsed, SourceFile};
use crate::label::{Format, ImportReport};
use crate::store::{write_pack, LabelStore};

/// Version of the built-in pack: the date of its newest source (the TagPacks commit).
pub const BUILTIN_VERSION: &str = "2026-05-12";

/// Snapshot date of the OFAC lists (0xB10C `lists` branch commit f2aee22).
const OFAC_DATE: &str = "2024-09-27";

/// `(directory, file name, gzip bytes)` of every file of the built-in pack.
const FILES: &[(&str, &str, &[u8])] = &[
    (
        "graphsense-tagpacks",
        "BITB_etf.yaml",
        include_bytes!("../assets/graphsense-tagpacks/BITB_etf.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "africrypt-hack.yaml",
        include_bytes!("../assets/graphsense-tagpacks/africrypt-hack.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "aft-alqaeda-forfeit_vc.yaml",
        include_bytes!("../assets/graphsense-tagpacks/aft-alqaeda-forfeit_vc.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "binance.yaml",
        include_bytes!("../assets/graphsense-tagpacks/binance.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "binance_hack.yaml",
        include_bytes!("../assets/graphsense-tagpacks/binance_hack.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "bitzillions_ltc.yaml",
        include_bytes!("../assets/graphsense-tagpacks/bitzillions_ltc.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "blender_io.yaml",
        include_bytes!("../assets/graphsense-tagpacks/blender_io.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "chaininfo.yaml",
        include_bytes!("../assets/graphsense-tagpacks/chaininfo.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "coinjoin_bounty.yaml",
        include_bytes!("../assets/graphsense-tagpacks/coinjoin_bounty.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "defi-protocols-csh.yaml",
        include_bytes!("../assets/graphsense-tagpacks/defi-protocols-csh.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "defi_updated__defi-protocols_1inch.yaml",
        include_bytes!("../assets/graphsense-tagpacks/defi_updated__defi-protocols_1inch.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "defi_updated__defi-protocols_aave.yaml",
        include_bytes!("../assets/graphsense-tagpacks/defi_updated__defi-protocols_aave.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "defi_updated__defi-protocols_compound.yaml",
        include_bytes!(
            "../assets/graphsense-tagpacks/defi_updated__defi-protocols_compound.yaml.gz"
        ),
    ),
    (
        "graphsense-tagpacks",
        "defi_updated__defi-protocols_curve.yaml",
        include_bytes!("../assets/graphsense-tagpacks/defi_updated__defi-protocols_curve.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "defi_updated__defi-protocols_instadapp.yaml",
        include_bytes!(
            "../assets/graphsense-tagpacks/defi_updated__defi-protocols_instadapp.yaml.gz"
        ),
    ),
    (
        "graphsense-tagpacks",
        "defi_updated__defi-protocols_sushiswap.yaml",
        include_bytes!(
            "../assets/graphsense-tagpacks/defi_updated__defi-protocols_sushiswap.yaml.gz"
        ),
    ),
    (
        "graphsense-tagpacks",
        "defi_updated__defi-protocols_synthetix.yaml",
        include_bytes!(
            "../assets/graphsense-tagpacks/defi_updated__defi-protocols_synthetix.yaml.gz"
        ),
    ),
    (
        "graphsense-tagpacks",
        "defi_updated__defi-protocols_uniswap.yaml",
        include_bytes!(
            "../assets/graphsense-tagpacks/defi_updated__defi-protocols_uniswap.yaml.gz"
        ),
    ),
    (
        "graphsense-tagpacks",
        "defi_updated__defi-protocols_uniswap_pools.yaml",
        include_bytes!(
            "../assets/graphsense-tagpacks/defi_updated__defi-protocols_uniswap_pools.yaml.gz"
        ),
    ),
    (
        "graphsense-tagpacks",
        "electrum_phishing.yaml",
        include_bytes!("../assets/graphsense-tagpacks/electrum_phishing.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "etherhiding.yaml",
        include_bytes!("../assets/graphsense-tagpacks/etherhiding.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "etherscamdb_tagpack.yaml",
        include_bytes!("../assets/graphsense-tagpacks/etherscamdb_tagpack.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "etherscan-label-word-cloud.yaml",
        include_bytes!("../assets/graphsense-tagpacks/etherscan-label-word-cloud.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "etherscan-wordcloud-exchange.yaml",
        include_bytes!("../assets/graphsense-tagpacks/etherscan-wordcloud-exchange.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "etherscan-wordcloud-gambling.yaml",
        include_bytes!("../assets/graphsense-tagpacks/etherscan-wordcloud-gambling.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "etherscan-wordcloud-market.yaml",
        include_bytes!("../assets/graphsense-tagpacks/etherscan-wordcloud-market.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "etherscan-wordcloud-miner.yaml",
        include_bytes!("../assets/graphsense-tagpacks/etherscan-wordcloud-miner.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "etherscan-wordcloud-mixing_service.yaml",
        include_bytes!("../assets/graphsense-tagpacks/etherscan-wordcloud-mixing_service.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "exchange-wallets-binance.yaml",
        include_bytes!("../assets/graphsense-tagpacks/exchange-wallets-binance.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "exchange-wallets-bitfinexcom.yaml",
        include_bytes!("../assets/graphsense-tagpacks/exchange-wallets-bitfinexcom.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "exchange-wallets-bybit.yaml",
        include_bytes!("../assets/graphsense-tagpacks/exchange-wallets-bybit.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "exchange-wallets-cryptocom.yaml",
        include_bytes!("../assets/graphsense-tagpacks/exchange-wallets-cryptocom.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "exchange-wallets-deribit.yaml",
        include_bytes!("../assets/graphsense-tagpacks/exchange-wallets-deribit.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "exchange-wallets-huobi.yaml",
        include_bytes!("../assets/graphsense-tagpacks/exchange-wallets-huobi.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "exchange-wallets-kucoin.yaml",
        include_bytes!("../assets/graphsense-tagpacks/exchange-wallets-kucoin.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "exchange-wallets-okx.yaml",
        include_bytes!("../assets/graphsense-tagpacks/exchange-wallets-okx.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "exchange-wallets-swissborg.yaml",
        include_bytes!("../assets/graphsense-tagpacks/exchange-wallets-swissborg.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "forsage.yaml",
        include_bytes!("../assets/graphsense-tagpacks/forsage.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "hacks.yaml",
        include_bytes!("../assets/graphsense-tagpacks/hacks.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "hydra.yaml",
        include_bytes!("../assets/graphsense-tagpacks/hydra.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "interpol-real_services.yaml",
        include_bytes!("../assets/graphsense-tagpacks/interpol-real_services.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "lazarus.yaml",
        include_bytes!("../assets/graphsense-tagpacks/lazarus.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "lazarus2.yaml",
        include_bytes!("../assets/graphsense-tagpacks/lazarus2.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "lockbit_tattoos.yaml",
        include_bytes!("../assets/graphsense-tagpacks/lockbit_tattoos.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "miners_additional.yaml",
        include_bytes!("../assets/graphsense-tagpacks/miners_additional.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "mixing_fc2021.yaml",
        include_bytes!("../assets/graphsense-tagpacks/mixing_fc2021.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "ofac.yaml",
        include_bytes!("../assets/graphsense-tagpacks/ofac.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "plustoken.yaml",
        include_bytes!("../assets/graphsense-tagpacks/plustoken.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "ponzi_scheme.yaml",
        include_bytes!("../assets/graphsense-tagpacks/ponzi_scheme.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "protonmail.yaml",
        include_bytes!("../assets/graphsense-tagpacks/protonmail.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "ransomware.yaml",
        include_bytes!("../assets/graphsense-tagpacks/ransomware.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "ransomwhere.yaml",
        include_bytes!("../assets/graphsense-tagpacks/ransomwhere.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "richest_addresses.yaml",
        include_bytes!("../assets/graphsense-tagpacks/richest_addresses.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "ronin_bridge.yaml",
        include_bytes!("../assets/graphsense-tagpacks/ronin_bridge.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "samourai.yaml",
        include_bytes!("../assets/graphsense-tagpacks/samourai.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "satoshidice_bch.yaml",
        include_bytes!("../assets/graphsense-tagpacks/satoshidice_bch.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "service-wallets-checksig.yaml",
        include_bytes!("../assets/graphsense-tagpacks/service-wallets-checksig.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "sinbad_io.yaml",
        include_bytes!("../assets/graphsense-tagpacks/sinbad_io.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "suidlanders.yaml",
        include_bytes!("../assets/graphsense-tagpacks/suidlanders.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "tornado_cash.yaml",
        include_bytes!("../assets/graphsense-tagpacks/tornado_cash.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "twitter_hack_scam.yaml",
        include_bytes!("../assets/graphsense-tagpacks/twitter_hack_scam.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "usdt_blacklist.yaml",
        include_bytes!("../assets/graphsense-tagpacks/usdt_blacklist.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "walletexplorer.yaml",
        include_bytes!("../assets/graphsense-tagpacks/walletexplorer.yaml.gz"),
    ),
    (
        "graphsense-tagpacks",
        "wasabi_collector.yaml",
        include_bytes!("../assets/graphsense-tagpacks/wasabi_collector.yaml.gz"),
    ),
    (
        "ofac-sanctioned-addresses",
        "sanctioned_addresses_ARB.txt",
        include_bytes!("../assets/ofac-sanctioned-addresses/sanctioned_addresses_ARB.txt.gz"),
    ),
    (
        "ofac-sanctioned-addresses",
        "sanctioned_addresses_BCH.txt",
        include_bytes!("../assets/ofac-sanctioned-addresses/sanctioned_addresses_BCH.txt.gz"),
    ),
    (
        "ofac-sanctioned-addresses",
        "sanctioned_addresses_BSC.txt",
        include_bytes!("../assets/ofac-sanctioned-addresses/sanctioned_addresses_BSC.txt.gz"),
    ),
    (
        "ofac-sanctioned-addresses",
        "sanctioned_addresses_BSV.txt",
        include_bytes!("../assets/ofac-sanctioned-addresses/sanctioned_addresses_BSV.txt.gz"),
    ),
    (
        "ofac-sanctioned-addresses",
        "sanctioned_addresses_BTG.txt",
        include_bytes!("../assets/ofac-sanctioned-addresses/sanctioned_addresses_BTG.txt.gz"),
    ),
    (
        "ofac-sanctioned-addresses",
        "sanctioned_addresses_DASH.txt",
        include_bytes!("../assets/ofac-sanctioned-addresses/sanctioned_addresses_DASH.txt.gz"),
    ),
    (
        "ofac-sanctioned-addresses",
        "sanctioned_addresses_ETC.txt",
        include_bytes!("../assets/ofac-sanctioned-addresses/sanctioned_addresses_ETC.txt.gz"),
    ),
    (
        "ofac-sanctioned-addresses",
        "sanctioned_addresses_ETH.txt",
        include_bytes!("../assets/ofac-sanctioned-addresses/sanctioned_addresses_ETH.txt.gz"),
    ),
    (
        "ofac-sanctioned-addresses",
        "sanctioned_addresses_LTC.txt",
        include_bytes!("../assets/ofac-sanctioned-addresses/sanctioned_addresses_LTC.txt.gz"),
    ),
    (
        "ofac-sanctioned-addresses",
        "sanctioned_addresses_TRX.txt",
        include_bytes!("../assets/ofac-sanctioned-addresses/sanctioned_addresses_TRX.txt.gz"),
    ),
    (
        "ofac-sanctioned-addresses",
        "sanctioned_addresses_USDC.txt",
        include_bytes!("../assets/ofac-sanctioned-addresses/sanctioned_addresses_USDC.txt.gz"),
    ),
    (
        "ofac-sanctioned-addresses",
        "sanctioned_addresses_USDT.txt",
        include_bytes!("../assets/ofac-sanctioned-addresses/sanctioned_addresses_USDT.txt.gz"),
    ),
    (
        "ofac-sanctioned-addresses",
        "sanctioned_addresses_XBT.txt",
        include_bytes!("../assets/ofac-sanctioned-addresses/sanctioned_addresses_XBT.txt.gz"),
    ),
    (
        "ofac-sanctioned-addresses",
        "sanctioned_addresses_XMR.txt",
        include_bytes!("../assets/ofac-sanctioned-addresses/sanctioned_addresses_XMR.txt.gz"),
    ),
    (
        "ofac-sanctioned-addresses",
        "sanctioned_addresses_XRP.txt",
        include_bytes!("../assets/ofac-sanctioned-addresses/sanctioned_addresses_XRP.txt.gz"),
    ),
    (
        "ofac-sanctioned-addresses",
        "sanctioned_addresses_XVG.txt",
        include_bytes!("../assets/ofac-sanctioned-addresses/sanctioned_addresses_XVG.txt.gz"),
    ),
    (
        "ofac-sanctioned-addresses",
        "sanctioned_addresses_ZEC.txt",
        include_bytes!("../assets/ofac-sanctioned-addresses/sanctioned_addresses_ZEC.txt.gz"),
    ),
    (
        "ransomware-addresses",
        "lockbit-leak_active_addresses.txt",
        include_bytes!("../assets/ransomware-addresses/lockbit-leak_active_addresses.txt.gz"),
    ),
    (
        "ransomware-addresses",
        "showing-the-receipts_addresses.csv",
        include_bytes!("../assets/ransomware-addresses/showing-the-receipts_addresses.csv.gz"),
    ),
];

/// The files of the built-in pack, parsed (no store involved).
pub fn parsed() -> Result<Vec<Parsed>, LabelError> {
    FILES
        .iter()
        .map(|(dir, name, gz)| {
            let mut text = String::new();
            flate2::read::GzDecoder::new(*gz)
                .read_to_string(&mut text)
                .map_err(|e| LabelError::Unreadable {
                    file: format!("built-in {dir}/{name}"),
                    detail: e.to_string(),
                })?;
            let (format, date, licence) = match *dir {
                "graphsense-tagpacks" => (
                    Format::Tagpack,
                    BUILTIN_VERSION,
                    "MIT (GraphSense TagPacks, Iknaio Cryptoasset Analytics / AIT)",
                ),
                "ofac-sanctioned-addresses" => (
                    Format::Ofac,
                    OFAC_DATE,
                    "MIT (0xB10C extractor); OFAC SDN data: US government work, public domain",
                ),
                _ => (Format::Ransomware, BUILTIN_VERSION, "CC BY 4.0"),
            };
            let file_name = name.replace("defi_updated__", "");
            let mut file = SourceFile::new(&file_name, text, date);
            file.builtin = true;
            let mut p = parse(format, &file)?;
            // Bad entries in the shipped data (listed in assets/SOURCE.md) are left out.
            p.skip_invalid();
            p.pack.licence = licence.to_string();
            Ok(p)
        })
        .collect()
}

/// Installs the built-in pack unless this store already has this version. A pack the analyst
/// updated from a newer file (e.g. a newer OFAC list) is left alone. One transaction.
pub(crate) fn ensure(store: &mut LabelStore) -> Result<Vec<ImportReport>, LabelError> {
    if store
        .builtin_version()?
        .is_some_and(|v| v.as_str() >= BUILTIN_VERSION)
    {
        return Ok(Vec::new());
    }
    let packs = parsed()?;
    let tx = store
        .conn_mut()
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let mut reports = Vec::new();
    for p in &packs {
        match write_pack(&tx, p, false) {
            Ok(r) => reports.push(r),
            Err(LabelError::Older { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    tx.execute(
        "INSERT INTO store_meta (key, value) VALUES ('builtin_version', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [BUILTIN_VERSION],
    )?;
    tx.commit()?;
    Ok(reports)
}
