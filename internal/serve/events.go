package serve

import (
	"fmt"
	"net/http"
	"sync"
)

// hub fans the reload signal out to every open page.
type hub struct {
	mu      sync.Mutex
	clients map[chan string]struct{}
	done    chan struct{} // closed when the server stops, to end the streams
	closed  bool
}

func newHub() *hub {
	return &hub{clients: map[chan string]struct{}{}, done: make(chan struct{})}
}

func (h *hub) subscribe() (ch chan string, unsubscribe func()) {
	// One slot is enough: every message means "reload", so a page that
	// has one waiting needs no second.
	ch = make(chan string, 1)
	h.mu.Lock()
	h.clients[ch] = struct{}{}
	h.mu.Unlock()
	return ch, func() {
		h.mu.Lock()
		delete(h.clients, ch)
		h.mu.Unlock()
	}
}

// broadcast sends msg to every page without waiting for slow ones, and
// returns how many pages are listening.
func (h *hub) broadcast(msg string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.clients {
		select {
		case ch <- msg:
		default:
		}
	}
	return len(h.clients)
}

// close ends every stream: http.Server.Shutdown waits for open requests,
// and an event stream never ends by itself.
func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.closed {
		h.closed = true
		close(h.done)
	}
}

// serveEvents is the server-sent event stream a page's script listens to.
// It first names the version being served, then sends "reload" after every
// rebuild.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming is not supported", http.StatusInternalServerError)
		return
	}
	// Subscribe before reading the version, so a rebuild in between is
	// not missed: it either changes the version or sends "reload".
	ch, unsubscribe := s.hub.subscribe()
	defer unsubscribe()
	s.mu.RLock()
	version := s.version
	s.mu.RUnlock()

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	// retry: a restarted server is found again within a second.
	fmt.Fprintf(w, "retry: 1000\n\ndata: version %s\n\n", version)
	flusher.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.hub.done:
			return
		case msg := <-ch:
			if _, err := fmt.Fprintf(w, "data: %s\n\n", msg); err != nil {
				return
			}
			flusher.Flush()
		}
	}
}
