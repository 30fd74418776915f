package main

// The rendered reports the page's download links read: in memory only,
// each for keepFor, the oldest dropped first when keepBytes is reached.

import (
	"crypto/rand"
	"sync"
	"time"
)

// store keeps rendered reports in memory for the page's download links.
type store struct {
	mu       sync.Mutex
	keep     time.Duration
	maxBytes int
	bytes    int
	items    map[string]*kept
	order    []string // tokens, oldest first
}

// kept is one rendered report and the timer that forgets it.
type kept struct {
	name  string
	data  []byte
	timer *time.Timer
}

// newStore keeps each report for keep, and at most maxBytes in all.
func newStore(keep time.Duration, maxBytes int) *store {
	return &store{keep: keep, maxBytes: maxBytes, items: map[string]*kept{}}
}

// put keeps data under a new unguessable token, dropping the oldest
// reports when the store is full; ok is false when data alone is too big.
func (st *store) put(name string, data []byte) (token string, ok bool) {
	if len(data) > st.maxBytes {
		return "", false
	}
	token = rand.Text()
	st.mu.Lock()
	defer st.mu.Unlock()
	for st.bytes+len(data) > st.maxBytes && len(st.order) > 0 {
		st.dropLocked(st.order[0])
	}
	st.items[token] = &kept{name: name, data: data, timer: time.AfterFunc(st.keep, func() { st.drop(token) })}
	st.order = append(st.order, token)
	st.bytes += len(data)
	return token, true
}

// get returns the report under token, if it is still kept.
func (st *store) get(token string) (*kept, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	it, ok := st.items[token]
	return it, ok
}

// drop forgets the report under token (its timer calls it).
func (st *store) drop(token string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.dropLocked(token)
}

// dropLocked is drop with st.mu held.
func (st *store) dropLocked(token string) {
	it, ok := st.items[token]
	if !ok {
		return
	}
	it.timer.Stop()
	delete(st.items, token)
	st.bytes -= len(it.data)
	for i, t := range st.order {
		if t == token {
			st.order = append(st.order[:i], st.order[i+1:]...)
			break
		}
	}
}
