//! Random secrets (session cookies, API tokens) and the digests stored in their place.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// 32 random bytes, URL-safe base64, after a readable prefix (`trn_` for API tokens).
pub fn generate(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// What the database keeps: the hex SHA-256 of the secret. The secrets are 256-bit random
/// values, so a fast hash is enough (no dictionary to guard against).
pub fn digest(secret: &str) -> String {
    let hash = Sha256::digest(secret.as_bytes());
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn secrets_are_unique_and_digests_stable() {
        let a = super::generate("trn_");
        let b = super::generate("trn_");
        assert!(a.starts_with("trn_") && a.len() == 4 + 43);
        assert_ne!(a, b);
        assert_eq!(super::digest(&a), super::digest(&a));
        assert_eq!(super::digest("abc").len(), 64);
    }
}
