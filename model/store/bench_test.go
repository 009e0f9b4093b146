package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The benchmark database: 10,000 sessions and 200,000 messages, one of the
// sessions 2,000 messages long, generated once per test binary.
const (
	benchSessions = 10_000
	benchMessages = 200_000
	benchLong     = 2_000
)

type benchDB struct {
	st     *Store
	dir    string
	longID string
	vocab  []string
}

var (
	benchOnce sync.Once
	bench     *benchDB
	benchErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if bench != nil {
		bench.st.Close()
		os.RemoveAll(bench.dir)
	}
	os.Exit(code)
}

func benchStore(b *testing.B) *benchDB {
	b.Helper()
	benchOnce.Do(func() {
		start := time.Now()
		bench, benchErr = buildBenchDB()
		if benchErr == nil {
			fmt.Fprintf(os.Stderr, "bench database: %d sessions, %d messages in %v\n", benchSessions, benchMessages,
				time.Since(start).Round(time.Second))
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return bench
}

// vocabulary makes n pronounceable words from syllables, deterministically.
func vocabulary(n int) []string {
	syl := []string{"ka", "lo", "tren", "mi", "sor", "va", "pel", "din", "ru", "go", "zan", "te", "bis", "ol", "quin",
		"fa", "hex", "nu", "rad", "cel"}
	seen := map[string]bool{}
	var out []string
	r := rand.New(rand.NewPCG(1, 2))
	for len(out) < n {
		k := 1 + r.IntN(3)
		var b strings.Builder
		for range k {
			b.WriteString(syl[r.IntN(len(syl))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

func buildBenchDB() (*benchDB, error) {
	dir, err := os.MkdirTemp("", "parley-store-bench-")
	if err != nil {
		return nil, err
	}
	st, err := Open(filepath.Join(dir, "parley.db"))
	if err != nil {
		return nil, err
	}
	db := &benchDB{st: st, dir: dir, vocab: vocabulary(5000)}
	r := rand.New(rand.NewPCG(3, 4))
	zipf := rand.NewZipf(rand.New(rand.NewPCG(5, 6)), 1.1, 2, uint64(len(db.vocab)-1))
	words := func(n int) string {
		var b strings.Builder
		for i := range n {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(db.vocab[zipf.Uint64()])
		}
		return b.String()
	}
	// Message counts: one long session, the rest share the remainder.
	counts := make([]int, benchSessions)
	counts[0] = benchLong
	left := benchMessages - benchLong
	for i := 1; i < benchSessions; i++ {
		counts[i] = left / (benchSessions - i)
		if i%3 == 0 {
			counts[i] += 6
		} else if i%3 == 1 && counts[i] > 6 {
			counts[i] -= 6
		}
		left -= counts[i]
	}
	counts[benchSessions-1] += left

	ctx := context.Background()
	now := time.Now()
	err = st.write(ctx, func(tx *sql.Tx) error {
		insSession, err := tx.PrepareContext(ctx, `INSERT INTO sessions (id, title, created_at, updated_at, model, pinned, dir, preview)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		insMessage, err := tx.PrepareContext(ctx, `INSERT INTO messages (session_id, seq, role, status, text, reasoning,
			items, model, response_id, turn_status, input_tokens, cached_tokens, output_tokens, reasoning_tokens,
			total_tokens, sent_at, first_token_at, finished_at, updated_at)
			VALUES (?, ?, ?, 'completed', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		for i, n := range counts {
			id := fmt.Sprintf("%012x", r.Uint64()&0xffffffffffff)
			if i == 0 {
				db.longID = id
			}
			created := now.Add(-time.Duration(r.IntN(365*24)) * time.Hour)
			_, err = insSession.ExecContext(ctx, id, words(3+r.IntN(5)), created.UnixNano(), created.UnixNano(),
				"gpt-5-mini", i%500 == 0, "/home/user/src", "")
			if err != nil {
				return err
			}
			at := created
			var last string
			for k := range n {
				at = at.Add(time.Duration(5+r.IntN(120)) * time.Second)
				ns := at.UnixNano()
				if k%2 == 0 {
					last = words(8 + r.IntN(30))
					_, err = insMessage.ExecContext(ctx, id, k, "user", last, "[]", "[]", "", "", "", nil, nil, nil, nil, nil,
						ns, 0, 0, ns)
				} else {
					last = words(40 + r.IntN(160))
					reasoning, _ := json.Marshal([]string{words(30)})
					item, _ := json.Marshal(map[string]any{"type": "message", "id": fmt.Sprintf("msg_%d_%d", i, k),
						"role": "assistant", "content": []any{map[string]any{"type": "output_text", "text": last}}})
					items := "[" + `{"type":"reasoning","id":"rs_1","summary":[],"encrypted_content":"` +
						strings.Repeat("Zm9v", 60) + `"},` + string(item) + "]"
					_, err = insMessage.ExecContext(ctx, id, k, "assistant", last, string(reasoning), items, "gpt-5-mini",
						fmt.Sprintf("resp_%d_%d", i, k), "completed", 1200, 800, 300, 120, 1500, ns, ns+4e8, ns+3e9, ns+3e9)
				}
				if err != nil {
					return err
				}
			}
			_, err = tx.ExecContext(ctx, "UPDATE sessions SET updated_at = ?, preview = ? WHERE id = ?", at.UnixNano(),
				Preview(last), id)
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		st.Close()
		return nil, err
	}
	return db, nil
}

// reportMS reports the wall time per operation, and the CPU time this
// process spent per operation since cpuStart: on a machine shared with
// other work, wall times swell with the load and CPU times much less.
func reportMS(b *testing.B, cpuStart time.Duration) {
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
	if cpu := processCPU(); cpu > 0 {
		b.ReportMetric(float64((cpu-cpuStart).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	}
}

// BenchmarkListSessions opens the picker: every session, pinned first, by
// last activity, with message counts and previews.
func BenchmarkListSessions(b *testing.B) {
	db := benchStore(b)
	ctx := context.Background()
	cpu := processCPU()
	b.ResetTimer()
	for b.Loop() {
		list, err := db.st.ListSessions(ctx, ListOptions{})
		if err != nil || len(list) != benchSessions {
			b.Fatal(len(list), err)
		}
	}
	reportMS(b, cpu)
}

// BenchmarkFilterSessions is one keystroke in the picker's title filter.
func BenchmarkFilterSessions(b *testing.B) {
	db := benchStore(b)
	list, err := db.st.ListSessions(context.Background(), ListOptions{})
	if err != nil {
		b.Fatal(err)
	}
	query := db.vocab[40][:3] + " " + db.vocab[90][:2]
	cpu := processCPU()
	b.ResetTimer()
	var n int
	for b.Loop() {
		n = len(FilterSessions(list, query))
	}
	reportMS(b, cpu)
	b.ReportMetric(float64(n), "matches")
}

// wordWithMatches returns a vocabulary word in lo..hi messages.
func (db *benchDB) wordWithMatches(b *testing.B, lo, hi int) string {
	for _, w := range db.vocab {
		n, err := db.st.countUpTo(context.Background(), `"`+w+`"`, hi+1) // the word itself
		if err != nil {
			b.Fatal(err)
		}
		if lo <= n && n <= hi {
			return w
		}
	}
	b.Fatalf("no word in %d..%d messages", lo, hi)
	return ""
}

// BenchmarkSearch is one full-text search, 50 hits with snippets: a rare
// word (ranked), the worst ranked case (a word just under commonWord, whose
// matches are all walked for BM25), a common word (newest first), a common
// word with a rare one, and the beginnings of words: four letters of a rare
// one, three of a common one, two (which cover a good part of the
// vocabulary). Words are picked by how many messages hold them exactly; a
// search takes each as a prefix, so it may match more.
func BenchmarkSearch(b *testing.B) {
	for _, c := range []struct {
		name   string
		lo, hi int
		and    bool
		prefix int // search only the first prefix bytes of the word
	}{
		{"rare", 400, 800, false, 0},
		{"ranked-worst", commonWord * 9 / 10, commonWord, false, 0},
		{"common", 50_000, 100_000, false, 0},
		{"common-and-rare", 50_000, 100_000, true, 0},
		{"prefix-of-rare", 400, 800, false, 4},
		{"prefix-of-common", 50_000, 100_000, false, 3},
		{"two-letter-prefix", 50_000, 100_000, false, 2},
	} {
		b.Run(c.name, func(b *testing.B) {
			db := benchStore(b)
			q := db.wordWithMatches(b, c.lo, c.hi)
			if c.prefix > 0 {
				q = q[:min(c.prefix, len(q))]
			}
			if c.and {
				q += " " + db.wordWithMatches(b, 400, 800)
			}
			b.Logf("query %q", q)
			ctx := context.Background()
			cpu := processCPU()
			b.ResetTimer()
			var n int
			for b.Loop() {
				hits, err := db.st.Search(ctx, q, 50)
				if err != nil {
					b.Fatal(err)
				}
				n = len(hits)
			}
			reportMS(b, cpu)
			b.ReportMetric(float64(n), "hits")
		})
	}
}

// BenchmarkLoadSession opens the 2,000-message session.
func BenchmarkLoadSession(b *testing.B) {
	db := benchStore(b)
	ctx := context.Background()
	cpu := processCPU()
	b.ResetTimer()
	for b.Loop() {
		_, msgs, err := db.st.LoadSession(ctx, db.longID)
		if err != nil || len(msgs) != benchLong {
			b.Fatal(len(msgs), err)
		}
	}
	reportMS(b, cpu)
}
