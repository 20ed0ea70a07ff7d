//! Any bytes: the decoder answers a message or an error, never panics, and what it decodes
//! survives an encode/decode round trip.
#![no_main]

use app::sync::Message;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(message) = Message::decode(data) {
        let again = Message::decode(&message.encode()).expect("our own encoding decodes");
        assert_eq!(again, message);
    }
});
