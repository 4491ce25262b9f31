package fakemastodon

import (
	"io"
	"net/http"
	"strings"

	"github.com/rivo/uniseg"

	"github.com/circulate-dev/circulate/internal/fakenet"
)

type attachment struct {
	Media
	polls    int    // GET /api/v1/media/:id answers 206 this many more times
	statusID string // the status it is attached to, once it is
}

// postMedia is POST /api/v2/media: multipart/form-data with file and
// description.
func (s *Server) postMedia(w *recorder, r *http.Request) {
	if !s.authenticate(w, r, "write:media", false) || !s.take(w, s.uploads) {
		return
	}
	if err := r.ParseMultipartForm(16 << 20); err != nil {
		fail(w, http.StatusUnprocessableEntity, "not multipart: "+err.Error(), "Validation failed: File can't be blank")
		return
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		fail(w, http.StatusUnprocessableEntity, "no file", "Validation failed: File can't be blank")
		return
	}
	defer f.Close()
	data, _ := io.ReadAll(f)
	ct := hdr.Header.Get("Content-Type")
	if !strings.HasPrefix(ct, "image/") && !strings.HasPrefix(ct, "video/") && !strings.HasPrefix(ct, "audio/") {
		fail(w, http.StatusUnprocessableEntity, "content type "+ct, "Validation failed: File content type is invalid, File file type is invalid")
		return
	}
	desc := r.FormValue("description")
	if uniseg.GraphemeClusterCount(desc) > 1500 {
		fail(w, http.StatusUnprocessableEntity, "description too long", "Validation failed: Description is too long (maximum is 1500 characters)")
		return
	}
	typ, _, _ := strings.Cut(ct, "/")
	s.mu.Lock()
	m := &attachment{Media: Media{ID: s.newID(), Type: typ, Description: desc, ContentType: ct, Size: len(data)}, polls: s.opts.MediaPolls}
	s.media[m.ID] = m
	body := s.mediaJSON(m)
	s.mu.Unlock()
	code := http.StatusOK
	if m.polls > 0 {
		code = http.StatusAccepted
	}
	fakenet.WriteJSON(w, code, body)
}

// getMedia is GET /api/v1/media/:id: 206 while processing, then 200.
func (s *Server) getMedia(w *recorder, r *http.Request, id string) {
	if !s.authenticate(w, r, "write:media", false) || !s.take(w, nil) {
		return
	}
	s.mu.Lock()
	m := s.media[id]
	var body map[string]any
	code := http.StatusOK
	if m != nil {
		if m.polls > 0 {
			m.polls--
			code = http.StatusPartialContent
		}
		body = s.mediaJSON(m)
		if code == http.StatusPartialContent {
			body["url"] = nil
		}
	}
	s.mu.Unlock()
	if m == nil {
		fail(w, http.StatusNotFound, "no media "+id, "Record not found")
		return
	}
	fakenet.WriteJSON(w, code, body)
}

// mediaJSON is the MediaAttachment entity; url is null until processed.
// Callers hold mu.
func (s *Server) mediaJSON(m *attachment) map[string]any {
	var u, preview any
	if m.polls == 0 {
		u = s.URL + "/system/media_attachments/files/" + m.ID + "/original/image"
		preview = s.URL + "/system/media_attachments/files/" + m.ID + "/small/image"
	}
	var desc any
	if m.Description != "" {
		desc = m.Description
	}
	return map[string]any{
		"id": m.ID, "type": m.Type, "url": u, "preview_url": preview, "remote_url": nil,
		"text_url": nil, "meta": map[string]any{}, "description": desc, "blurhash": "UFBWY[of~qof%MWBofWB",
	}
}
