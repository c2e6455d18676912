//! Fiat values for the narrative, by the price module's stated rule (the daily UTC close on
//! the block's date); a date without a rate says "no rate", never an interpolated value.

use chrono::DateTime;
use tracebench_report::ReportHop;

use crate::price::{self, PriceSeries, DAILY_CLOSE_RULE};
use crate::store::Case;

use super::super::ApiError;

/// The asset the report values (Bitcoin reports only).
const ASSET: &str = "BTC";

/// The case's BTC price series and the currency the report values in.
pub struct Fiat<'c> {
    case: &'c Case,
    /// The first currency (in sorted order) the case holds a BTC series for.
    currency: Option<String>,
    series: Vec<PriceSeries>,
}

fn report_error(e: impl std::fmt::Display) -> ApiError {
    ApiError::Report(e.to_string())
}

impl<'c> Fiat<'c> {
    pub fn new(case: &'c Case) -> Result<Self, ApiError> {
        let series: Vec<PriceSeries> = case
            .price_series()?
            .into_iter()
            .filter(|s| s.asset == ASSET)
            .collect();
        Ok(Fiat {
            case,
            currency: series.first().map(|s| s.currency.clone()),
            series,
        })
    }

    /// Values every leg of `hop` and states the rate used, or that there is none.
    pub fn value(&self, hop: &mut ReportHop) -> Result<(), ApiError> {
        let Some(currency) = &self.currency else {
            return Ok(());
        };
        let Some(time) = hop.block_time else {
            hop.valuation = Some("Fiat value: no rate (unconfirmed: no block date).".to_string());
            return Ok(());
        };
        let date = DateTime::from_timestamp(time, 0)
            .map(|t| t.format("%Y-%m-%d").to_string())
            .unwrap_or_else(|| format!("unix {time}"));
        let mut stated = None;
        for leg in hop.inputs.iter_mut().chain(hop.outputs.iter_mut()) {
            let v = price::value_transfer(
                self.case,
                ASSET,
                &leg.amount_sat.to_string(),
                time,
                currency,
            )
            .map_err(report_error)?;
            match v {
                Some(v) => {
                    leg.fiat = Some(format!("{} {}", v.fiat, v.currency));
                    stated.get_or_insert(format!(
                        "Fiat values at 1 BTC = {} {} ({}, rate of {}, daily UTC close of {date}).",
                        v.rate, v.currency, v.source, v.rate_time_utc
                    ));
                }
                None => {
                    hop.valuation = Some(format!(
                        "Fiat value: no rate ({currency} daily close on {date})."
                    ));
                    return Ok(());
                }
            }
        }
        hop.valuation = stated;
        Ok(())
    }

    /// The methodology's statement of the valuation rule and the series used.
    pub fn method_text(&self) -> String {
        match &self.currency {
            None => "No price series is held by this case, so no fiat value is given: every \
                     amount is stated in BTC and integer satoshi only. A missing rate is stated \
                     as “no rate” and is never interpolated."
                .to_string(),
            Some(currency) => {
                let series: Vec<String> = self
                    .series
                    .iter()
                    .filter(|s| &s.currency == currency)
                    .map(|s| {
                        format!(
                            "{}/{} from {}: {} rate(s), {} to {}",
                            s.asset, s.currency, s.source, s.rates, s.first_utc, s.last_utc
                        )
                    })
                    .collect();
                format!(
                    "Transfers are valued in {currency} by the rule: {DAILY_CLOSE_RULE}. Series \
                     used (imported with provenance, see the data-provenance appendix): {}.",
                    series.join("; ")
                )
            }
        }
    }
}
