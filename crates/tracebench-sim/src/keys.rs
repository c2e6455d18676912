//! Synthetic keys: RNG-drawn public keys, the output scripts and mainnet addresses they give, and
//! plausible (non-verifying) spending data for them.

use bitcoin::hashes::{hash160, Hash};
use bitcoin::opcodes::all::OP_PUSHNUM_1;
use bitcoin::script::{Builder, PushBytesBuf};
use bitcoin::{
    Address, Network, OutPoint, PubkeyHash, ScriptBuf, ScriptHash, Sequence, TxIn, WPubkeyHash,
    Witness,
};
use rand::RngCore;
use rand_chacha::ChaCha20Rng;

/// The output type of a synthetic key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ScriptKind {
    /// Legacy pay-to-pubkey-hash (`1...`).
    P2pkh,
    /// Nested segwit (`3...`).
    P2shP2wpkh,
    /// Native segwit v0 (`bc1q...`).
    P2wpkh,
    /// Taproot key path (`bc1p...`).
    P2tr,
}

/// One synthetic key and who owns it.
#[derive(Debug, Clone)]
pub(crate) struct Key {
    pub(crate) kind: ScriptKind,
    /// Compressed public key (for taproot, bytes 1..33 are the x-only output key).
    pub(crate) pubkey: [u8; 33],
    pub(crate) script_pubkey: ScriptBuf,
    pub(crate) address: String,
    pub(crate) owner: String,
}

impl Key {
    /// Draws a fresh key of `kind` from the RNG.
    pub(crate) fn draw(rng: &mut ChaCha20Rng, kind: ScriptKind, owner: &str) -> Key {
        let mut pubkey = [0u8; 33];
        rng.fill_bytes(&mut pubkey[1..]);
        pubkey[0] = if rng.next_u32() & 1 == 0 { 0x02 } else { 0x03 };
        let key_hash = hash160::Hash::hash(&pubkey).to_byte_array();
        let script_pubkey = match kind {
            ScriptKind::P2pkh => ScriptBuf::new_p2pkh(&PubkeyHash::from_byte_array(key_hash)),
            ScriptKind::P2wpkh => ScriptBuf::new_p2wpkh(&WPubkeyHash::from_byte_array(key_hash)),
            ScriptKind::P2shP2wpkh => {
                let redeem = ScriptBuf::new_p2wpkh(&WPubkeyHash::from_byte_array(key_hash));
                ScriptBuf::new_p2sh(&ScriptHash::hash(redeem.as_bytes()))
            }
            ScriptKind::P2tr => {
                let mut output_key = [0u8; 32];
                output_key.copy_from_slice(&pubkey[1..]);
                Builder::new()
                    .push_opcode(OP_PUSHNUM_1)
                    .push_slice(output_key)
                    .into_script()
            }
        };
        let address = Address::from_script(&script_pubkey, Network::Bitcoin)
            .map(|a| a.to_string())
            .unwrap_or_else(|e| unreachable!("standard scripts always have an address: {e}"));
        Key {
            kind,
            pubkey,
            script_pubkey,
            address,
            owner: owner.to_owned(),
        }
    }

    /// An input spending `outpoint` (locked to this key) with RNG-drawn signature bytes.
    pub(crate) fn spend(
        &self,
        rng: &mut ChaCha20Rng,
        outpoint: OutPoint,
        sequence: Sequence,
    ) -> TxIn {
        let (script_sig, witness) = match self.kind {
            ScriptKind::P2pkh => {
                let script = Builder::new()
                    .push_slice(push_bytes(&der_signature(rng)))
                    .push_slice(self.pubkey)
                    .into_script();
                (script, Witness::new())
            }
            ScriptKind::P2wpkh => (
                ScriptBuf::new(),
                Witness::from_slice(&[der_signature(rng).as_slice(), self.pubkey.as_slice()]),
            ),
            ScriptKind::P2shP2wpkh => {
                let key_hash = hash160::Hash::hash(&self.pubkey).to_byte_array();
                let redeem = ScriptBuf::new_p2wpkh(&WPubkeyHash::from_byte_array(key_hash));
                let script = Builder::new()
                    .push_slice(push_bytes(redeem.as_bytes()))
                    .into_script();
                let witness =
                    Witness::from_slice(&[der_signature(rng).as_slice(), self.pubkey.as_slice()]);
                (script, witness)
            }
            ScriptKind::P2tr => {
                let mut signature = [0u8; 64];
                rng.fill_bytes(&mut signature);
                (
                    ScriptBuf::new(),
                    Witness::from_slice(&[signature.as_slice()]),
                )
            }
        };
        TxIn {
            previous_output: outpoint,
            script_sig,
            sequence,
            witness,
        }
    }
}

/// A 72-byte DER-shaped ECDSA signature with SIGHASH_ALL: high `r` (33 bytes), low `s`.
fn der_signature(rng: &mut ChaCha20Rng) -> Vec<u8> {
    let mut r = [0u8; 32];
    let mut s = [0u8; 32];
    rng.fill_bytes(&mut r);
    rng.fill_bytes(&mut s);
    r[0] |= 0x80;
    s[0] &= 0x7f;
    s[0] |= 0x01;
    let mut sig = Vec::with_capacity(72);
    sig.extend_from_slice(&[0x30, 0x45, 0x02, 0x21, 0x00]);
    sig.extend_from_slice(&r);
    sig.extend_from_slice(&[0x02, 0x20]);
    sig.extend_from_slice(&s);
    sig.push(0x01);
    sig
}

/// Wraps bytes for a script push (all pushes here are far below the 520-byte limit).
pub(crate) fn push_bytes(data: &[u8]) -> PushBytesBuf {
    PushBytesBuf::try_from(data.to_vec())
        .unwrap_or_else(|e| unreachable!("pushes here are short: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn addresses_have_the_expected_prefix_per_kind() {
        let mut rng = ChaCha20Rng::seed_from_u64(7);
        let cases = [
            (ScriptKind::P2pkh, "1"),
            (ScriptKind::P2shP2wpkh, "3"),
            (ScriptKind::P2wpkh, "bc1q"),
            (ScriptKind::P2tr, "bc1p"),
        ];
        for (kind, prefix) in cases {
            let key = Key::draw(&mut rng, kind, "x");
            assert!(
                key.address.starts_with(prefix),
                "{kind:?} gives a mainnet {prefix} address, got {}",
                key.address
            );
        }
    }

    #[test]
    fn signatures_are_72_bytes_and_der_shaped() {
        let mut rng = ChaCha20Rng::seed_from_u64(7);
        let sig = der_signature(&mut rng);
        assert_eq!(
            sig.len(),
            72,
            "the brief asks for 72-byte DER-like signatures"
        );
        assert_eq!(&sig[..2], &[0x30, 0x45], "DER sequence of 69 bytes");
        assert_eq!(sig[71], 0x01, "SIGHASH_ALL");
    }
}
