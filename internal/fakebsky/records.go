package fakebsky

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rivo/uniseg"

	"github.com/circulate-dev/circulate/internal/fakenet"
)

const postNSID = "app.bsky.feed.post"

// Post is a post in the fake's repositories, the account's or another's.
type Post struct {
	URI, CID, RKey string
	Author         string // handle
	// Record is the record as stored (decoded JSON).
	Record    map[string]any
	Text      string
	IndexedAt time.Time
}

type post struct {
	Post
	author *Profile // nil: the fake's own account
}

type blob struct {
	mime string
	size int
}

// Posts returns every post, oldest first.
func (s *Server) Posts() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Post, len(s.posts))
	for i, p := range s.posts {
		out[i] = p.Post
	}
	return out
}

// Own returns the account's own posts, oldest first.
func (s *Server) Own() []Post {
	var out []Post
	for _, p := range s.Posts() {
		if p.Author == s.opts.Handle {
			out = append(out, p)
		}
	}
	return out
}

// store adds a record to a repository. Callers hold mu.
func (s *Server) store(author *Profile, rkey string, record map[string]any, at time.Time) *post {
	did, handle := s.opts.DID, s.opts.Handle
	if author != nil {
		did, handle = didFor(author.Handle), author.Handle
	}
	data, _ := json.Marshal(record)
	text, _ := record["text"].(string)
	p := &post{Post: Post{URI: "at://" + did + "/" + postNSID + "/" + rkey, CID: cid(0x71, data), RKey: rkey,
		Author: handle, Record: record, Text: text, IndexedAt: at.UTC().Truncate(time.Millisecond)}, author: author}
	s.posts = append(s.posts, p)
	return p
}

func (s *Server) find(uri string) *post {
	for _, p := range s.posts {
		if p.URI == uri {
			return p
		}
	}
	return nil
}

func (s *Server) createRecord(w *recorder, r *http.Request) {
	if !s.auth(w, r) {
		return
	}
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/json" {
		invalid(w, "Wrong request encoding (Content-Type): "+r.Header.Get("Content-Type"))
		return
	}
	fault, faulty := s.faults.Next()
	if faulty && s.before(w, fault) {
		return
	}
	if !s.take(w, 3,
		func() *window { return s.windowFor("repo-write-hour", s.opts.WriteLimitHour, time.Hour) },
		func() *window { return s.windowFor("repo-write-day", 7*s.opts.WriteLimitHour, 24*time.Hour) }) {
		return
	}
	var in struct {
		Repo       string         `json:"repo"`
		Collection string         `json:"collection"`
		RKey       *string        `json:"rkey"`
		Validate   *bool          `json:"validate"`
		Record     map[string]any `json:"record"`
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&in); err != nil {
		invalid(w, "Invalid JSON: "+err.Error())
		return
	}
	if in.Repo == "" || in.Collection == "" || in.Record == nil {
		invalid(w, `Input must have the properties "repo", "collection", "record"`)
		return
	}
	if in.Repo != s.opts.DID && in.Repo != s.opts.Handle {
		xrpcError(w, http.StatusUnauthorized, "repo "+in.Repo+" is not the session's", "AuthenticationRequired", "Authentication Required")
		return
	}
	if in.Collection != postNSID {
		invalid(w, "this fake knows only "+postNSID)
		return
	}
	if t, _ := in.Record["$type"].(string); t != in.Collection {
		invalid(w, fmt.Sprintf("Invalid $type: expected %s, got %v", in.Collection, in.Record["$type"]))
		return
	}
	now := s.opts.Now()
	rkey := ""
	if in.RKey != nil {
		rkey = *in.RKey
		if !rkeyRE.MatchString(rkey) || rkey == "." || rkey == ".." {
			invalid(w, "Invalid record key: "+rkey)
			return
		}
		if !ValidTID(rkey) {
			invalid(w, "Invalid record key for "+postNSID+": Invalid TID: "+rkey)
			return
		}
	}
	s.mu.Lock()
	if rkey == "" {
		rkey = TID(now, uint64(s.seq))
		s.seq++
	}
	msg := s.validatePost(in.Record)
	var p *post
	duplicate := false
	if msg == "" {
		if s.find("at://"+s.opts.DID+"/"+postNSID+"/"+rkey) != nil {
			duplicate = true
		} else {
			p = s.store(nil, rkey, in.Record, now)
		}
	}
	rev := TID(now, 0)
	s.mu.Unlock()
	if msg != "" {
		invalid(w, msg)
		return
	}
	if faulty && !after(w, r, fault) {
		return
	}
	if duplicate {
		// bluesky-social/atproto#3718: the PDS answers a create of an
		// existing key with a bare 500.
		xrpcError(w, http.StatusInternalServerError, "rkey "+rkey+" exists", "InternalServerError", "Internal Server Error")
		return
	}
	fakenet.WriteJSON(w, http.StatusOK, map[string]any{"uri": p.URI, "cid": p.CID,
		"commit": map[string]any{"cid": cid(0x71, []byte(rev)), "rev": rev}, "validationStatus": "valid"})
}

var langRE = regexp.MustCompile(`^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$`)

// validatePost checks a post record against the lexicon (and the fake's
// stricter facet rule); it returns the PDS's message, or "". Callers hold
// mu.
func (s *Server) validatePost(rec map[string]any) string {
	bad := func(format string, a ...any) string {
		return "Invalid app.bsky.feed.post record: " + fmt.Sprintf(format, a...)
	}
	text, ok := rec["text"].(string)
	if !ok {
		return bad("Record must have the property \"text\"")
	}
	if n := uniseg.GraphemeClusterCount(text); n > 300 {
		return bad("Record/text must not be longer than 300 graphemes")
	}
	if len(text) > 3000 {
		return bad("Record/text must not be longer than 3000 characters")
	}
	created, ok := rec["createdAt"].(string)
	if !ok {
		return bad("Record must have the property \"createdAt\"")
	}
	if _, err := time.Parse(time.RFC3339Nano, created); err != nil {
		return bad("Record/createdAt must be an valid atproto datetime (both RFC-3339 and ISO-8601)")
	}
	if v, ok := rec["langs"]; ok {
		langs, ok := v.([]any)
		if !ok || len(langs) > 3 {
			return bad("Record/langs must not have more than 3 elements")
		}
		for i, l := range langs {
			if ls, ok := l.(string); !ok || !langRE.MatchString(ls) {
				return bad("Record/langs/%d must be a well-formed BCP 47 language tag", i)
			}
		}
	}
	if v, ok := rec["facets"]; ok {
		facets, ok := v.([]any)
		if !ok {
			return bad("Record/facets must be an array")
		}
		for i, f := range facets {
			if m := checkFacet(text, f); m != "" {
				return bad("Record/facets/%d%s", i, m)
			}
		}
	}
	if v, ok := rec["embed"]; ok {
		if m := s.checkEmbed(v); m != "" {
			return bad("Record/embed%s", m)
		}
	}
	return ""
}

func integer(v any) (int, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	i, err := n.Int64()
	return int(i), err == nil && i >= 0
}

// checkFacet checks a facet's byte slice and features.
func checkFacet(text string, v any) string {
	f, _ := v.(map[string]any)
	idx, _ := f["index"].(map[string]any)
	start, ok1 := integer(idx["byteStart"])
	end, ok2 := integer(idx["byteEnd"])
	if !ok1 || !ok2 {
		return "/index must have integer byteStart and byteEnd >= 0"
	}
	if start >= end || end > len(text) {
		return fmt.Sprintf("/index %d..%d is outside the text's %d bytes", start, end, len(text))
	}
	if !utf8.RuneStart(text[start]) || (end < len(text) && !utf8.RuneStart(text[end])) {
		return fmt.Sprintf("/index %d..%d cuts a UTF-8 character", start, end)
	}
	features, _ := f["features"].([]any)
	if len(features) == 0 {
		return "/features must not be empty"
	}
	for j, ft := range features {
		m, _ := ft.(map[string]any)
		switch m["$type"] {
		case "app.bsky.richtext.facet#link":
			uri, _ := m["uri"].(string)
			u, err := url.Parse(uri)
			if err != nil || u.Scheme == "" {
				return fmt.Sprintf("/features/%d/uri must be a valid uri", j)
			}
			if !pointsAt(text[start:end], uri) {
				return fmt.Sprintf("/features/%d: the link's text %q is not %s", j, text[start:end], uri)
			}
		case "app.bsky.richtext.facet#mention":
			if d, _ := m["did"].(string); !strings.HasPrefix(d, "did:") {
				return fmt.Sprintf("/features/%d/did must be a valid did", j)
			}
		case "app.bsky.richtext.facet#tag":
			if t, _ := m["tag"].(string); t == "" {
				return fmt.Sprintf("/features/%d/tag must be a string", j)
			}
		default:
			return fmt.Sprintf("/features/%d must be an object which includes the \"$type\" property", j)
		}
	}
	return ""
}

// pointsAt reports whether the text of a link facet shows uri: the URL
// itself, or the URL without its scheme, possibly cut with "..." or "…".
func pointsAt(text, uri string) bool {
	if text == uri {
		return true
	}
	bare := func(s string) string {
		s = strings.TrimPrefix(strings.TrimPrefix(s, "https://"), "http://")
		return s
	}
	shown := bare(text)
	cut := strings.TrimSuffix(strings.TrimSuffix(shown, "..."), "…")
	if cut == shown {
		return shown == bare(uri) || shown+"/" == bare(uri)
	}
	return cut != "" && strings.HasPrefix(bare(uri), cut)
}

// checkEmbed checks an external card or images, and that their blobs were
// uploaded. Callers hold mu.
func (s *Server) checkEmbed(v any) string {
	e, _ := v.(map[string]any)
	switch e["$type"] {
	case "app.bsky.embed.external":
		ext, _ := e["external"].(map[string]any)
		if ext == nil {
			return " must have the property \"external\""
		}
		uri, _ := ext["uri"].(string)
		if u, err := url.Parse(uri); err != nil || u.Scheme == "" {
			return "/external/uri must be a valid uri"
		}
		for _, k := range []string{"title", "description"} {
			if _, ok := ext[k].(string); !ok {
				return "/external must have the property \"" + k + "\""
			}
		}
		if th, ok := ext["thumb"]; ok {
			return s.checkBlob(th, "/external/thumb", 1000000)
		}
	case "app.bsky.embed.images":
		imgs, _ := e["images"].([]any)
		if len(imgs) == 0 || len(imgs) > 4 {
			return "/images must have 1 to 4 elements"
		}
		for i, im := range imgs {
			m, _ := im.(map[string]any)
			if _, ok := m["alt"].(string); !ok {
				return fmt.Sprintf("/images/%d must have the property \"alt\"", i)
			}
			if msg := s.checkBlob(m["image"], fmt.Sprintf("/images/%d/image", i), 1000000); msg != "" {
				return msg
			}
		}
	default:
		return " $type must be one of app.bsky.embed.images, app.bsky.embed.video, app.bsky.embed.external, app.bsky.embed.record, app.bsky.embed.recordWithMedia"
	}
	return ""
}

func (s *Server) checkBlob(v any, where string, maxSize int) string {
	m, _ := v.(map[string]any)
	ref, _ := m["ref"].(map[string]any)
	link, _ := ref["$link"].(string)
	if m["$type"] != "blob" || link == "" {
		return where + " should be a blob ref"
	}
	b, ok := s.blobs[link]
	if !ok {
		return where + ": Could not find blob: " + link
	}
	if !strings.HasPrefix(b.mime, "image/") {
		return where + ": Wrong type of file. It is " + b.mime + " but it must match image/*."
	}
	if b.size > maxSize {
		return fmt.Sprintf("%s: This file is too large. It is %d bytes but the maximum size is %d bytes.", where, b.size, maxSize)
	}
	if mt, _ := m["mimeType"].(string); mt != b.mime {
		return where + ": mimeType " + mt + " is not the blob's " + b.mime
	}
	return ""
}

func (s *Server) getRecord(w *recorder, r *http.Request) {
	q := r.URL.Query()
	repo, coll, rkey := q.Get("repo"), q.Get("collection"), q.Get("rkey")
	if repo == "" || coll == "" || rkey == "" {
		invalid(w, "Params must have the properties \"repo\", \"collection\", \"rkey\"")
		return
	}
	did := repo
	if repo == s.opts.Handle {
		did = s.opts.DID
	}
	uri := "at://" + did + "/" + coll + "/" + rkey
	s.mu.Lock()
	p := s.find(uri)
	s.mu.Unlock()
	if p == nil {
		xrpcError(w, http.StatusBadRequest, "no record", "RecordNotFound", "Could not locate record: "+uri)
		return
	}
	fakenet.WriteJSON(w, http.StatusOK, map[string]any{"uri": p.URI, "cid": p.CID, "value": p.Record})
}

func (s *Server) uploadBlob(w *recorder, r *http.Request) {
	if !s.auth(w, r) {
		return
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, 50<<20))
	if err != nil || len(data) == 0 {
		invalid(w, "Request body is empty")
		return
	}
	ct := r.Header.Get("Content-Type")
	if ct == "" || ct == "*/*" {
		ct = http.DetectContentType(data)
	}
	ct, _, _ = mime.ParseMediaType(ct)
	c := cid(0x55, data)
	s.mu.Lock()
	s.blobs[c] = blob{mime: ct, size: len(data)}
	s.mu.Unlock()
	fakenet.WriteJSON(w, http.StatusOK, map[string]any{"blob": map[string]any{"$type": "blob", "ref": map[string]any{"$link": c}, "mimeType": ct, "size": len(data)}})
}
