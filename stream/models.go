package stream

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sort"
)

// maxModelList bounds how much of a model list is read: about 150,000
// ids, fifty times OpenRouter's list.
const maxModelList = 8 << 20

// ListModels asks the server which models it serves (GET {base}/models,
// the OpenAI list shape that Ollama, vLLM, LM Studio, llama.cpp and
// OpenRouter also answer). Ids come back sorted.
func (c *Client) ListModels(ctx context.Context) ([]string, error) {
	u := c.cfg.BaseURL + "/models"
	if len(c.cfg.Query) > 0 {
		u += "?" + c.cfg.Query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, &Error{Code: "bad_request", Message: "Invalid server address: " + err.Error(), Cause: err}
	}
	resp, e := c.do(req)
	if e != nil {
		return nil, c.redact.error(e)
	}
	defer resp.Body.Close()
	var list struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
		// Ollama's native shape, for servers that answer it here.
		Models []struct {
			Name string `json:"name"`
		} `json:"models"`
	}
	body := &io.LimitedReader{R: resp.Body, N: maxModelList + 1}
	if err := json.NewDecoder(body).Decode(&list); err != nil {
		if body.N == 0 { // the decoder wanted more than the limit
			return nil, &Error{Code: CodeBadReply, Cause: err,
				Message: "The model list is larger than " + byteSize(maxModelList) + ", Parley's limit for it."}
		}
		return nil, c.redact.error(&Error{Code: CodeBadReply, Message: "The model list is not JSON: " + err.Error(), Cause: err})
	}
	var ids []string
	for _, m := range list.Data {
		ids = append(ids, c.redact.text(m.ID))
	}
	for _, m := range list.Models {
		ids = append(ids, c.redact.text(m.Name))
	}
	sort.Strings(ids)
	return ids, nil
}
