package tenants

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// listen keeps a connection that LISTENs on the trigger's channel and pokes
// the sync loop on each notification. After every (re)connection it pokes
// once more, so the catch-up (WHERE version > last applied) covers whatever
// was committed while it was down: a notification is only a wake-up, never
// the change itself, so a lost one loses nothing.
func (s *Store) listen(ctx context.Context) {
	defer s.wg.Done()
	backoff := 100 * time.Millisecond
	warn := true // the first failure, and the first after each success
	for ctx.Err() == nil {
		err := s.listenOnce(ctx)
		wasUp := s.listened.Swap(false)
		if ctx.Err() != nil {
			return
		}
		// One warning per outage, not one per attempt.
		if wasUp {
			backoff, warn = 100*time.Millisecond, true // retry soon
		}
		if warn {
			warn = false
			s.log.Warn("tenants: change feed connection lost or refused; reconnecting (polling meanwhile)", "err", err)
		} else {
			s.log.Debug("tenants: change feed reconnection failed", "err", err, "retry_in", backoff)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

func (s *Store) listenOnce(ctx context.Context) error {
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	conn, err := pgx.Connect(cctx, s.dsn)
	cancel()
	if err != nil {
		return err
	}
	defer func() {
		// A dead server must not hold Store.Close: pgx's Close waits on
		// its context to say goodbye.
		cctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = conn.Close(cctx)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+notifyChannel); err != nil {
		return err
	}
	s.listened.Store(true)
	s.log.Debug("tenants: change feed listening")
	s.poke()
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return err
		}
		s.poke()
	}
}
