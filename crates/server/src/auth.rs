//! Accounts without e-mail: one-time activation codes a lurah can read out over the phone,
//! a long-lived refresh token per device, and short-lived signed access tokens.
//!
//! - Activation code: `K7QF-2MXP-9RTC`. The first group names the code (looked up directly);
//!   the rest is the secret, stored only as an Argon2id hash. Five wrong tries lock it.
//! - Refresh token: 32 random bytes, given once, stored as its SHA-256; one per device,
//!   revocable, good for months offline.
//! - Access token: user, device and expiry signed with HMAC-SHA256 under the server's key; checked
//!   without touching storage, so "anything new?" costs no database read for authentication.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::{Digest, Sha256};

use ronda_core::{DeviceId, UserId};

/// Unambiguous when read aloud or written by hand: no 0/O, 1/I/L.
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Longer than a phone's sync period (15 minutes), so a periodic sync finds its token alive;
/// short enough that a revoked device is shut out within the hour.
pub const ACCESS_TOKEN_TTL_MS: i64 = 60 * 60 * 1000;
/// A sync made with a token that has less than this left gets a fresh one in its answer.
pub const ACCESS_RENEW_WITHIN_MS: i64 = 20 * 60 * 1000;
pub const ACTIVATION_TTL_MS: i64 = 14 * 24 * 3600 * 1000;
pub const MAX_CODE_FAILURES: u32 = 5;
const TAG_LEN: usize = 16;
const PAYLOAD_LEN: usize = 16 + 16 + 8;

/// The secret that signs access tokens.
#[derive(Clone)]
pub struct TokenKey([u8; 32]);

impl std::fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKey(…)")
    }
}

impl TokenKey {
    pub fn random() -> Self {
        Self(rand::rng().random())
    }

    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    fn tag(&self, payload: &[u8]) -> [u8; TAG_LEN] {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(payload);
        let full = mac.finalize().into_bytes();
        full[..TAG_LEN]
            .try_into()
            .expect("slice of the right length")
    }

    pub fn issue(&self, user: UserId, device: DeviceId, expires_at_ms: i64) -> String {
        let mut token = Vec::with_capacity(PAYLOAD_LEN + TAG_LEN);
        token.extend_from_slice(user.as_uuid().as_bytes());
        token.extend_from_slice(device.as_uuid().as_bytes());
        token.extend_from_slice(&expires_at_ms.to_be_bytes());
        let tag = self.tag(&token);
        token.extend_from_slice(&tag);
        URL_SAFE_NO_PAD.encode(token)
    }

    pub fn verify(&self, token: &str, now_ms: i64) -> Result<Session, TokenError> {
        let raw = URL_SAFE_NO_PAD
            .decode(token.trim())
            .map_err(|_| TokenError::Invalid)?;
        if raw.len() != PAYLOAD_LEN + TAG_LEN {
            return Err(TokenError::Invalid);
        }
        let (payload, tag) = raw.split_at(PAYLOAD_LEN);
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(payload);
        mac.verify_truncated_left(tag)
            .map_err(|_| TokenError::Invalid)?;
        let uuid = |b: &[u8]| uuid::Uuid::from_slice(b).map_err(|_| TokenError::Invalid);
        let user = UserId::try_from(uuid(&payload[..16])?).map_err(|_| TokenError::Invalid)?;
        let device =
            DeviceId::try_from(uuid(&payload[16..32])?).map_err(|_| TokenError::Invalid)?;
        let expires = i64::from_be_bytes(payload[32..40].try_into().expect("8 bytes"));
        if expires <= now_ms {
            return Err(TokenError::Expired);
        }
        Ok(Session {
            user,
            device,
            expires_at_ms: expires,
        })
    }
}

/// Who is calling: from a verified access token, never from the payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Session {
    pub user: UserId,
    pub device: DeviceId,
    pub expires_at_ms: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("the access token is not valid")]
    Invalid,
    #[error("the access token has expired")]
    Expired,
}

/// A new activation code: (the whole code to give the person, its public id, its secret's hash).
pub fn new_activation_code() -> (String, String, String) {
    let mut rng = rand::rng();
    let mut group = || -> String {
        (0..4)
            .map(|_| CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())] as char)
            .collect()
    };
    let (id, a, b) = (group(), group(), group());
    let secret = format!("{a}{b}");
    let hash = hash_secret(&secret);
    (format!("{id}-{a}-{b}"), id, hash)
}

/// Splits a code as typed (any case, spaces or dashes anywhere) into its id and secret.
pub fn parse_activation_code(typed: &str) -> Option<(String, String)> {
    let clean: String = typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if clean.len() != 12 || !clean.bytes().all(|b| CODE_ALPHABET.contains(&b)) {
        return None;
    }
    Some((clean[..4].to_owned(), clean[4..].to_owned()))
}

pub fn hash_secret(secret: &str) -> String {
    let salt = SaltString::encode_b64(&rand::rng().random::<[u8; 16]>())
        .expect("16 bytes is a valid salt");
    Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .expect("Argon2id hashes any input")
        .to_string()
}

pub fn verify_secret(secret: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(secret.as_bytes(), &h)
            .is_ok()
    })
}

/// A new refresh token and the hash the server keeps of it.
pub fn new_refresh_token() -> (String, [u8; 32]) {
    let token = URL_SAFE_NO_PAD.encode(rand::rng().random::<[u8; 32]>());
    let hash = refresh_hash(&token);
    (token, hash)
}

pub fn refresh_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.trim().as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify_only_untouched_and_unexpired() {
        let key = TokenKey::random();
        let (user, device) = (UserId::new(), DeviceId::new());
        let t = key.issue(user, device, 2_000);
        assert!(t.len() < 80, "{t}");
        assert_eq!(
            key.verify(&t, 1_000),
            Ok(Session {
                user,
                device,
                expires_at_ms: 2_000
            })
        );
        assert_eq!(key.verify(&t, 2_000), Err(TokenError::Expired));
        assert_eq!(
            TokenKey::random().verify(&t, 1_000),
            Err(TokenError::Invalid)
        );
        let mut tampered = t.clone().into_bytes();
        tampered[3] = if tampered[3] == b'A' { b'B' } else { b'A' };
        assert_eq!(
            key.verify(&String::from_utf8(tampered).unwrap(), 1_000),
            Err(TokenError::Invalid)
        );
        assert_eq!(key.verify("", 0), Err(TokenError::Invalid));
        assert_eq!(key.verify("not a token!", 0), Err(TokenError::Invalid));
    }

    #[test]
    fn activation_codes_read_back_however_typed() {
        let (code, id, hash) = new_activation_code();
        let typed = code.to_lowercase().replace('-', " ");
        let (got_id, secret) = parse_activation_code(&typed).unwrap();
        assert_eq!(got_id, id);
        assert!(verify_secret(&secret, &hash));
        assert!(!verify_secret("WRONGSECRET2", &hash));
        assert!(parse_activation_code("K7QF-2MXP").is_none());
        assert!(
            parse_activation_code("K7QF-2MXP-9RT0").is_none(),
            "0 is not in the alphabet"
        );
    }
}
