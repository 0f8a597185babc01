package smartrecruiters

import (
	"mime"
	"net/http"
	"net/url"
)

// tokenError is an RFC 6749 error body of the token endpoint.
type tokenError struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description,omitempty"`
}

// serveToken is POST /identity/oauth/token: the client-credentials grant,
// with client_id and client_secret in the form body (or as Basic auth). It
// returns {access_token, token_type, expires_in}; the token is then sent
// as Authorization: Bearer and acts as the same user as the API key.
func (f *Fake) serveToken(c *call) *response {
	resp := f.mintToken(c)
	resp.header.Set("Cache-Control", "no-store")
	return resp
}

func (f *Fake) mintToken(c *call) *response {
	form := url.Values{}
	if mt, _, err := mime.ParseMediaType(c.r.Header.Get("Content-Type")); err == nil && mt == "application/x-www-form-urlencoded" {
		parsed, err := url.ParseQuery(string(c.body))
		if err != nil {
			return jsonResponse(http.StatusBadRequest, tokenError{Error: "invalid_request", ErrorDescription: "malformed form body"})
		}
		form = parsed
	} else if len(c.body) > 0 {
		return jsonResponse(http.StatusBadRequest, tokenError{Error: "invalid_request",
			ErrorDescription: "the body must be application/x-www-form-urlencoded"})
	}
	id, secret := form.Get("client_id"), form.Get("client_secret")
	if bid, bsecret, ok := c.r.BasicAuth(); ok {
		id, secret = bid, bsecret
	}
	switch gt := form.Get("grant_type"); gt {
	case "client_credentials":
	case "":
		return jsonResponse(http.StatusBadRequest, tokenError{Error: "invalid_request", ErrorDescription: "grant_type is required"})
	default:
		return jsonResponse(http.StatusBadRequest, tokenError{Error: "unsupported_grant_type"})
	}
	if f.credsRevoked || id != f.opts.ClientID || secret != f.opts.ClientSecret {
		return jsonResponse(http.StatusUnauthorized, tokenError{Error: "invalid_client"})
	}
	token := "sr-at-" + f.newID()
	f.tokens[token] = c.now.Add(f.opts.TokenTTL)
	return jsonResponse(http.StatusOK, map[string]any{
		"access_token": token,
		"token_type":   "bearer",
		"expires_in":   int(f.opts.TokenTTL.Seconds()),
	})
}
