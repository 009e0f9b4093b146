package chat

import (
	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/model/store"
)

// saver hands the session writer what changed. The controller has none
// without a store: every method of a nil saver does nothing, so no call
// site asks.
type saver struct{ w *store.Writer }

func (s *saver) userSent(m *model.Message) {
	if s != nil {
		s.w.UserSent(m, StoreAttachments(m.Attachments)...)
	}
}

func (s *saver) setChoices(c store.Choices) {
	if s != nil {
		s.w.SetChoices(c)
	}
}

func (s *saver) userFailed(m *model.Message) {
	if s != nil {
		s.w.UserFailed(m)
	}
}

func (s *saver) progress(m *model.Message) {
	if s != nil {
		s.w.AssistantProgress(m)
	}
}

func (s *saver) finished(m *model.Message) {
	if s != nil {
		s.w.AssistantFinished(m)
	}
}

func (s *saver) toolResults(reply *model.Message, results []*model.Message) {
	if s != nil && len(results) > 0 {
		s.w.ToolResults(reply, results)
	}
}

func (s *saver) removed(m *model.Message) {
	if s != nil {
		s.w.Removed(m)
	}
}

func (s *saver) track(m *model.Message, id int64) {
	if s != nil {
		s.w.Track(m, id)
	}
}

// writerOptions logs write errors where the program logs.
func (c *Controller) writerOptions() []store.WriterOption {
	if c.cfg.Logger == nil {
		return nil
	}
	return []store.WriterOption{store.WithLogger(c.cfg.Logger)}
}
