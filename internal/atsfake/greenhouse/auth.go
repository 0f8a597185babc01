package greenhouse

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// grantTypes is the list the token host names when grant_type is unknown
// (token-endpoint error table in greenhouse-v3.md §1, measured by [W6]).
const grantTypes = "authorization_code, refresh_token, client_credentials, urn:ietf:params:oauth:grant-type:token-exchange"

type tokenRec struct {
	clientID string
	userID   int64
	expires  time.Time
	gen      int
	revoked  bool
}

// serveToken is POST /token on the auth host (auth.greenhouse.io/token).
func (f *Fake) serveToken(c *call) *response {
	resp := f.spend("token", c.now)
	if resp == nil {
		resp = f.mintClientCredentials(c)
		f.peekRateHeaders("token", resp, c.now)
	}
	resp.header.Set("Cache-Control", "no-store")
	return resp
}

// mintClientCredentials implements the client-credentials grant [A][PHP][W6].
// The checks run in the order the unauthenticated probes of [W6] imply:
// missing credential, malformed client id and grant_type are reported before
// the credential itself is verified.
func (f *Fake) mintClientCredentials(c *call) *response {
	id, secret, ok := c.r.BasicAuth()
	if !ok {
		return jsonResponse(http.StatusUnauthorized, ErrorBody{Message: "Unauthorized", ErrorID: f.newErrorID()})
	}
	if !validClientSuffix(id) {
		return jsonResponse(http.StatusBadRequest, ErrorBody{
			Message: "client_id=" + id + " does not contain a valid client ID suffix",
			ErrorID: f.newErrorID(),
		})
	}
	p, err := tokenParams(c)
	if err != nil {
		return jsonResponse(http.StatusBadRequest, ErrorBody{Message: err.Error()})
	}
	switch p.grantType {
	case "":
		return jsonResponse(http.StatusBadRequest, ErrorBody{Message: "Must include `grant_type` parameter in /token request"})
	case "client_credentials", "authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:token-exchange":
	default:
		return jsonResponse(http.StatusBadRequest, ErrorBody{
			Message: "grant_type=" + p.grantType + " is invalid, please use one of: " + grantTypes,
		})
	}
	if f.credsRevoked || id != f.opts.ClientID || secret != f.opts.ClientSecret {
		return jsonResponse(http.StatusUnauthorized, ErrorBody{Error: "invalid_client"})
	}
	if p.grantType != "client_credentials" {
		// The partner flows need a code or refresh token this fake never
		// issues; RFC 6749 spells the failure invalid_grant [AB].
		return jsonResponse(http.StatusBadRequest, ErrorBody{Error: "invalid_grant"})
	}
	userID := ServiceUserID
	if p.sub != "" {
		n, err := strconv.ParseInt(p.sub, 10, 64)
		if err != nil || n <= 0 {
			return jsonResponse(http.StatusBadRequest, ErrorBody{Message: "sub=" + p.sub + " is invalid"})
		}
		userID = n
	}
	token, exp := f.issueToken(id, userID, c.now)
	return jsonResponse(http.StatusOK, map[string]string{
		"token_type":   "Bearer",
		"access_token": token,
		"expires_at":   exp.UTC().Format(time.RFC3339),
	})
}

// validClientSuffix reports whether id ends in "-<digits>" [W6].
func validClientSuffix(id string) bool {
	i := strings.LastIndexByte(id, '-')
	if i <= 0 || i == len(id)-1 {
		return false
	}
	for _, r := range id[i+1:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

type mintParams struct {
	grantType string
	sub       string
}

// tokenParams reads grant_type from the query string or a form body, and sub
// from a form body, the query string or a JSON body, covering the three ways
// clients are known to send them [A][OAS via W6][PHP].
func tokenParams(c *call) (mintParams, error) {
	q := c.r.URL.Query()
	p := mintParams{grantType: q.Get("grant_type"), sub: q.Get("sub")}
	body := bytes.TrimSpace(c.body)
	if len(body) == 0 {
		return p, nil
	}
	ct, _, _ := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if ct == "application/json" || (ct == "" && body[0] == '{') {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(body, &m); err != nil {
			return p, fmt.Errorf("request body is not valid JSON")
		}
		if v := rawString(m["grant_type"]); v != "" {
			p.grantType = v
		}
		if v := rawString(m["sub"]); v != "" {
			p.sub = v
		}
		return p, nil
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return p, fmt.Errorf("request body is not valid form data")
	}
	if v := form.Get("grant_type"); v != "" {
		p.grantType = v
	}
	if v := form.Get("sub"); v != "" {
		p.sub = v
	}
	return p, nil
}

// rawString renders a JSON string or number as a string; anything else is "".
func rawString(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

// serveTransitionToken is POST /auth/token on the Harvest host: a v1 key
// (Basic key:) mints a v3 token until the v1 sunset [OAS /auth/token][A][W6].
func (f *Fake) serveTransitionToken(c *call) *response {
	if resp := f.spend("auth", c.now); resp != nil {
		return resp
	}
	var resp *response
	key, _, ok := c.r.BasicAuth()
	if !ok || f.credsRevoked || key != f.opts.APIKey {
		resp = jsonResponse(http.StatusUnauthorized, ErrorBody{Message: "Invalid credentials"})
	} else {
		userID := ServiceUserID
		var body struct {
			Sub json.RawMessage `json:"sub"`
		}
		if len(bytes.TrimSpace(c.body)) > 0 {
			if err := json.Unmarshal(c.body, &body); err != nil {
				resp = jsonResponse(http.StatusBadRequest, ErrorBody{Message: "request body is not valid JSON"})
			}
		}
		if resp == nil {
			if s := rawString(body.Sub); s != "" {
				n, err := strconv.ParseInt(s, 10, 64)
				if err != nil || n <= 0 {
					resp = jsonResponse(http.StatusBadRequest, ErrorBody{Message: "sub=" + s + " is invalid"})
				}
				userID = n
			}
		}
		if resp == nil {
			token, exp := f.issueToken(f.opts.ClientID, userID, c.now)
			resp = jsonResponse(http.StatusOK, map[string]string{
				"token_type":   "Bearer",
				"access_token": token,
				"expires":      exp.UTC().Format(time.RFC3339),
			})
		}
	}
	f.peekRateHeaders("auth", resp, c.now)
	resp.header.Set("Cache-Control", "no-store")
	return resp
}

// issueToken mints a signed JWT whose sub claim is the acting user. Called
// with f.mu held.
func (f *Fake) issueToken(clientID string, userID int64, now time.Time) (string, time.Time) {
	for jti, t := range f.tokens {
		if !now.Before(t.expires) {
			delete(f.tokens, jti) // expired: forget it
			continue
		}
		if f.opts.SingleActiveToken && t.clientID == clientID && t.userID == userID {
			t.revoked = true
		}
	}
	f.tokenSeq++
	jti := "t" + strconv.FormatInt(f.tokenSeq, 10)
	exp := now.Add(f.opts.TokenTTL)
	f.tokens[jti] = &tokenRec{clientID: clientID, userID: userID, expires: exp, gen: f.credGen}
	claims := map[string]any{
		"iss":       "https://auth.greenhouse.io",
		"sub":       strconv.FormatInt(userID, 10),
		"client_id": clientID,
		"iat":       now.Unix(),
		"exp":       exp.Unix(),
		"jti":       jti,
	}
	header, _ := json.Marshal(map[string]string{"alg": "HS256", "typ": "JWT"})
	payload, _ := json.Marshal(claims)
	enc := base64.RawURLEncoding
	signing := enc.EncodeToString(header) + "." + enc.EncodeToString(payload)
	return signing + "." + enc.EncodeToString(f.sign(signing)), exp
}

func (f *Fake) sign(s string) []byte {
	m := hmac.New(sha256.New, f.signKey)
	m.Write([]byte(s))
	return m.Sum(nil)
}

// authenticateBearer validates "Authorization: Bearer <jwt>". Unknown,
// tampered, revoked and expired tokens all fail alike, as Harvest answers all
// of them with the same 401 [W6]. Called with f.mu held.
func (f *Fake) authenticateBearer(r *http.Request, now time.Time) (*tokenRec, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return nil, false
	}
	parts := strings.Split(strings.TrimSpace(token), ".")
	if len(parts) != 3 {
		return nil, false
	}
	enc := base64.RawURLEncoding
	sig, err := enc.DecodeString(parts[2])
	if err != nil || !hmac.Equal(sig, f.sign(parts[0]+"."+parts[1])) {
		return nil, false
	}
	payload, err := enc.DecodeString(parts[1])
	if err != nil {
		return nil, false
	}
	var claims struct {
		JTI string `json:"jti"`
	}
	if json.Unmarshal(payload, &claims) != nil {
		return nil, false
	}
	t, ok := f.tokens[claims.JTI]
	if !ok || t.revoked || t.gen != f.credGen || f.credsRevoked || !now.Before(t.expires) {
		return nil, false
	}
	return t, true
}

// authenticateV1 checks Basic auth with the v1 key as username and a blank
// (ignored) password. Called with f.mu held.
func (f *Fake) authenticateV1(r *http.Request) bool {
	key, _, ok := r.BasicAuth()
	return ok && !f.credsRevoked && key == f.opts.APIKey
}

func (f *Fake) newErrorID() string {
	f.errorSeq++
	return fmt.Sprintf("err-%08x", f.errorSeq)
}

// RevokeCredentials makes every credential fail, as when a customer deletes
// the API credential in Greenhouse: POST /token answers 401 invalid_client,
// every issued token gets 401 on /v3, and the v1 key gets 401 on /v1.
func (f *Fake) RevokeCredentials() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.credsRevoked = true
	f.credGen++
}

// RestoreCredentials undoes RevokeCredentials for new mints and the v1 key.
// Tokens issued before the revocation stay invalid.
func (f *Fake) RestoreCredentials() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.credsRevoked = false
}

// RevokeTokens invalidates every token issued so far while the credentials
// stay valid, so a client must mint again after its next 401.
func (f *Fake) RevokeTokens() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.credGen++
}

// RevokeScope removes a scope from the credential, effective immediately for
// tokens already issued [SC]: requests to routes needing it get 403
// {"message":"Forbidden"}. Scopes are spelled harvest:<resource>:<action>,
// for example harvest:candidates:list, harvest:candidates:update,
// harvest:notes:create or harvest:custom_fields:create.
func (f *Fake) RevokeScope(scope string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.revokedScopes[scope] = true
}

// GrantScope gives back a scope removed with RevokeScope.
func (f *Fake) GrantScope(scope string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.revokedScopes, scope)
}
