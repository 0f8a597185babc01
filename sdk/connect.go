package sdk

import (
	"context"
	"net/http"
	"net/url"
)

// PostConnectCreateLinkRequestBody is the body of CreateConnectLink,
// named as in Kombo's SDKs. EndUserEmail and EndUserOrganizationName are
// required; IntegrationTool presets the ATS the customer connects.
type PostConnectCreateLinkRequestBody struct {
	EndUserEmail            string  `json:"end_user_email"`
	EndUserOrganizationName string  `json:"end_user_organization_name"`
	EndUserOriginID         *string `json:"end_user_origin_id,omitempty"`
	IntegrationCategory     *string `json:"integration_category,omitempty"`
	IntegrationTool         *string `json:"integration_tool,omitempty"`
	Language                *string `json:"language,omitempty"`
	LinkType                *string `json:"link_type,omitempty"`
}

// ConnectedIntegration is the integration a customer connected through a
// link, as GetIntegrationByToken answers it.
type ConnectedIntegration struct {
	ID                      string      `json:"id"`
	Tool                    string      `json:"tool"`
	EndUserOriginID         *string     `json:"end_user_origin_id"`
	EndUserOrganizationName string      `json:"end_user_organization_name"`
	EndUserEmail            *string     `json:"end_user_email"`
	SetupStatus             SetupStatus `json:"setup_status"`
}

// CreateConnectLink returns a link to send to a customer: its page lets
// them connect their ATS account, checked with the ATS before anything is
// saved (POST /connect/create-link). No X-Integration-Id is sent.
func (c *Client) CreateConnectLink(ctx context.Context, body PostConnectCreateLinkRequestBody, opts ...CallOption) (string, error) {
	if body.EndUserEmail == "" || body.EndUserOrganizationName == "" {
		return "", errMissing("CreateConnectLink", "end user e-mail and organization name")
	}
	var data struct {
		Link string `json:"link"`
	}
	if _, _, err := c.do(ctx, &apiRequest{method: http.MethodPost, path: "/connect/create-link", body: body, call: applyCallOptions(opts)}, &data); err != nil {
		return "", err
	}
	return data.Link, nil
}

// GetIntegrationByToken returns the integration a customer connected, by
// the one-time token their connect page handed to the vendor's app (GET
// /connect/integration-by-token/{token}): store its ID against the
// customer.
func (c *Client) GetIntegrationByToken(ctx context.Context, token string) (*ConnectedIntegration, error) {
	if token == "" {
		return nil, errMissing("GetIntegrationByToken", "token")
	}
	var in ConnectedIntegration
	if _, _, err := c.do(ctx, &apiRequest{method: http.MethodGet, path: "/connect/integration-by-token/" + url.PathEscape(token)}, &in); err != nil {
		return nil, err
	}
	return &in, nil
}
