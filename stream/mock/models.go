package mock

import (
	"net/http"
	"strings"
)

// modelCreated is a fixed timestamp so /v1/models replies are reproducible.
const modelCreated = 1735689600 // 2025-01-01

type modelObject struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Created int64  `json:"created"`
	OwnedBy string `json:"owned_by"`
}

// modelNames lists the default model and one per script that forces it.
func modelNames() []string {
	return []string{defaultModel, "parley-mock-" + scriptMarkdown, "parley-mock-" + scriptReasoning, "parley-mock-" + scriptTools}
}

func model(id string) modelObject {
	return modelObject{ID: id, Object: "model", Created: modelCreated, OwnedBy: "parley"}
}

func (s *Server) serveModels(w http.ResponseWriter) {
	var data []modelObject
	if s.replayModel != "" {
		data = append(data, model(s.replayModel))
	}
	for _, id := range modelNames() {
		data = append(data, model(id))
	}
	writeJSON(w, http.StatusOK, object{{"object", "list"}, {"data", data}})
}

func serveModel(w http.ResponseWriter, id string) {
	for _, known := range modelNames() {
		if id == known || strings.HasPrefix(id, faultPrefix) {
			writeJSON(w, http.StatusOK, model(id))
			return
		}
	}
	writeError(w, apiError{
		status:  http.StatusNotFound,
		message: "The model `" + id + "` does not exist or you do not have access to it.",
		typ:     "invalid_request_error",
		param:   "model",
		code:    "model_not_found",
	})
}
