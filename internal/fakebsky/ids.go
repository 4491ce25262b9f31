package fakebsky

import (
	"crypto/sha256"
	"encoding/base32"
	"regexp"
	"strings"
	"time"
)

// tidRE is the syntax of a TID: 13 characters of base32-sortable, the
// first of which keeps the top bit zero.
var tidRE = regexp.MustCompile(`^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$`)

// ValidTID reports whether s is a TID by the atproto spec.
func ValidTID(s string) bool { return tidRE.MatchString(s) }

// rkeyRE is the syntax of any record key.
var rkeyRE = regexp.MustCompile(`^[A-Za-z0-9._:~-]{1,512}$`)

const sortable = "234567abcdefghijklmnopqrstuvwxyz"

// TID makes a TID of a time and a clock id (0-1023).
func TID(t time.Time, clock uint64) string {
	v := uint64(t.UnixMicro())<<10 | clock&1023
	b := make([]byte, 13)
	for i := 12; i >= 0; i-- {
		b[i] = sortable[v&31]
		v >>= 5
	}
	return string(b)
}

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// cid is a CIDv1 (sha2-256) of data with the codec given (0x55 raw for
// blobs, 0x71 dag-cbor for records), in base32 as atproto writes them.
func cid(codec byte, data []byte) string {
	sum := sha256.Sum256(data)
	raw := append([]byte{0x01, codec, 0x12, 0x20}, sum[:]...)
	return "b" + strings.ToLower(b32.EncodeToString(raw))
}

// didFor makes up a did:plc for another account's handle.
func didFor(handle string) string {
	sum := sha256.Sum256([]byte(handle))
	return "did:plc:" + strings.ToLower(b32.EncodeToString(sum[:]))[:24]
}
