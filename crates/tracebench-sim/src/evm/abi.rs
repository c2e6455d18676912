//! The few contract functions and events of the scenario, ABI-encoded as Solidity does.

use super::hash::{address_word, amount_word, selector, Address, H256};

/// A contract function the scenario calls: its canonical signature (for the selector) and the
/// form with parameter names that Etherscan prints as `functionName`.
#[derive(Debug, Clone, Copy)]
pub struct Function {
    pub signature: &'static str,
    pub etherscan_name: &'static str,
}

pub const TRANSFER: Function = Function {
    signature: "transfer(address,uint256)",
    etherscan_name: "transfer(address _to, uint256 _value)",
};
pub const APPROVE: Function = Function {
    signature: "approve(address,uint256)",
    etherscan_name: "approve(address _spender, uint256 _value)",
};
pub const TRANSFER_FROM: Function = Function {
    signature: "transferFrom(address,address,uint256)",
    etherscan_name: "transferFrom(address _from, address _to, uint256 _value)",
};
pub const ISSUE: Function = Function {
    signature: "issue(uint256)",
    etherscan_name: "issue(uint256 amount)",
};
pub const ADD_LIQUIDITY_ETH: Function = Function {
    signature: "addLiquidityETH(address,uint256,uint256,uint256,address,uint256)",
    etherscan_name: "addLiquidityETH(address token, uint256 amountTokenDesired, uint256 amountTokenMin, uint256 amountETHMin, address to, uint256 deadline)",
};
pub const SWAP_EXACT_TOKENS_FOR_ETH: Function = Function {
    signature: "swapExactTokensForETH(uint256,uint256,address[],address,uint256)",
    etherscan_name: "swapExactTokensForETH(uint256 amountIn, uint256 amountOutMin, address[] path, address to, uint256 deadline)",
};
pub const GET_RESERVES: Function = Function {
    signature: "getReserves()",
    etherscan_name: "getReserves()",
};
pub const POOL_SWAP: Function = Function {
    signature: "swap(uint256,uint256,address,bytes)",
    etherscan_name: "swap(uint256 amount0Out, uint256 amount1Out, address to, bytes data)",
};
pub const POOL_MINT: Function = Function {
    signature: "mint(address)",
    etherscan_name: "mint(address to)",
};

/// Every function above, for naming a call by its selector.
pub const FUNCTIONS: [Function; 9] = [
    TRANSFER,
    APPROVE,
    TRANSFER_FROM,
    ISSUE,
    ADD_LIQUIDITY_ETH,
    SWAP_EXACT_TOKENS_FOR_ETH,
    GET_RESERVES,
    POOL_SWAP,
    POOL_MINT,
];

/// The function whose selector starts `input`, if it is one of the scenario's.
pub fn function_of(input: &[u8]) -> Option<Function> {
    let head = input.get(..4)?;
    FUNCTIONS
        .into_iter()
        .find(|f| selector(f.signature) == head)
}

/// One argument word.
#[derive(Debug, Clone, Copy)]
pub enum Word {
    Address(Address),
    Amount(u128),
    Raw(H256),
}

impl Word {
    fn bytes(self) -> H256 {
        match self {
            Word::Address(a) => address_word(&a),
            Word::Amount(n) => amount_word(n),
            Word::Raw(w) => w,
        }
    }
}

/// `selector ++ words` (static arguments, or dynamic ones already laid out as words).
pub fn call(function: Function, words: &[Word]) -> Vec<u8> {
    let mut out = selector(function.signature).to_vec();
    for word in words {
        out.extend_from_slice(&word.bytes());
    }
    out
}

/// Words concatenated, without a selector (return data, log data).
pub fn words(words: &[Word]) -> Vec<u8> {
    let mut out = Vec::with_capacity(32 * words.len());
    for word in words {
        out.extend_from_slice(&word.bytes());
    }
    out
}

/// The revert data of `require(false, reason)`: `Error(string)` ABI-encoded.
pub fn error_string(reason: &str) -> Vec<u8> {
    let mut out = selector("Error(string)").to_vec();
    out.extend_from_slice(&amount_word(32));
    out.extend_from_slice(&amount_word(reason.len() as u128));
    let mut text = reason.as_bytes().to_vec();
    text.resize(reason.len().div_ceil(32) * 32, 0);
    out.extend_from_slice(&text);
    out
}

/// An ABI-encoded `string` return value (offset, length, padded bytes).
pub fn string_return(text: &str) -> Vec<u8> {
    let mut out = amount_word(32).to_vec();
    out.extend_from_slice(&amount_word(text.len() as u128));
    let mut bytes = text.as_bytes().to_vec();
    bytes.resize(text.len().div_ceil(32) * 32, 0);
    out.extend_from_slice(&bytes);
    out
}
