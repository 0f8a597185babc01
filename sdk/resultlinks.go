package sdk

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// AddApplicationResultLink adds a result link to an application: it asks the
// server to write the link, and the details with it, into the customer's ATS
// in the most native way that ATS offers (POST
// /ats/applications/{application_id}/result-links). It is the call to use;
// AddCandidateResultLink is kept for callers that only know the candidate.
//
// The call carries an Idempotency-Key, so it is retried on 429, 502, 503, 504
// and connection errors as the client's RetryConfig allows, and a resultlinks
// server writes the link once however many attempts arrive. Pass
// WithIdempotencyKey to choose the key, WithoutIdempotencyKey to send none
// (and make one attempt only), or WithRespondAsync to get the answer before
// the ATS write.
func (c *Client) AddApplicationResultLink(ctx context.Context, req PostAtsApplicationsApplicationIDResultLinksRequest, opts ...CallOption) (*ResultLinkResponse, error) {
	if req.ApplicationID == "" {
		return nil, errMissing("AddApplicationResultLink", "ApplicationID")
	}
	var body any = struct{}{}
	if req.RequestBody != nil {
		body = req.RequestBody
	}
	return c.addResultLink(ctx, "AddApplicationResultLink", "/ats/applications/"+url.PathEscape(req.ApplicationID)+"/result-links", req.XIntegrationID, body, opts)
}

// AddCandidateResultLink adds a result link to a candidate (POST
// /ats/candidates/{candidate_id}/result-links). Kombo calls this variant
// deprecated, since a result usually belongs to one application; prefer
// AddApplicationResultLink. Retries and options work as they do there.
func (c *Client) AddCandidateResultLink(ctx context.Context, req PostAtsCandidatesCandidateIDResultLinksRequest, opts ...CallOption) (*ResultLinkResponse, error) {
	if req.CandidateID == "" {
		return nil, errMissing("AddCandidateResultLink", "CandidateID")
	}
	var body any = struct{}{}
	if req.RequestBody != nil {
		body = req.RequestBody
	}
	return c.addResultLink(ctx, "AddCandidateResultLink", "/ats/candidates/"+url.PathEscape(req.CandidateID)+"/result-links", req.XIntegrationID, body, opts)
}

// addResultLink sends a result-link POST and reads its answer.
func (c *Client) addResultLink(ctx context.Context, op, path, integrationID string, body any, opts []CallOption) (*ResultLinkResponse, error) {
	integrationID, err := c.integrationFor(op, integrationID)
	if err != nil {
		return nil, err
	}
	var data struct {
		ResultLinkID string         `json:"result_link_id"`
		Status       DeliveryStatus `json:"status"`
		Channels     []string       `json:"channels"`
	}
	warnings, header, err := c.do(ctx, &apiRequest{
		method:        http.MethodPost,
		path:          path,
		body:          body,
		integrationID: integrationID,
		call:          applyCallOptions(opts),
	}, &data)
	if err != nil {
		return nil, err
	}
	resp := &ResultLinkResponse{
		Warnings:     warnings,
		ResultLinkID: data.ResultLinkID,
		Status:       data.Status,
		Channels:     data.Channels,
		RequestID:    header.Get("X-Request-Id"),
	}
	if n, err := strconv.Atoi(header.Get("Concurrency-Limit")); err == nil && n > 0 {
		resp.ConcurrencyLimit = n
		resp.ConcurrencyRemaining, _ = strconv.Atoi(header.Get("Concurrency-Remaining"))
	}
	return resp, nil
}

// ResultLinkResponse is the answer to AddApplicationResultLink and
// AddCandidateResultLink. Kombo answers with warnings only; a resultlinks
// server adds a receipt (ResultLinkID, Status, Channels), which is empty
// when the server sent none.
type ResultLinkResponse struct {
	// Warnings say what the server noticed while writing: keys it ignored,
	// where the link landed, what it left out. Worth logging.
	Warnings []Warning
	// ResultLinkID is the ID under which a resultlinks server stored the
	// result link.
	ResultLinkID string
	// Status is how far delivery to the ATS got when the server answered.
	Status DeliveryStatus
	// Channels name the ways the link was written into the ATS, for example
	// a native result feature, custom fields, or a note.
	Channels []string
	// RequestID is the answer's X-Request-Id header.
	RequestID string
	// ConcurrencyLimit is how many writes the integration may have in flight
	// at once, from the Concurrency-Limit header; 0 when the server did not
	// say.
	ConcurrencyLimit int
	// ConcurrencyRemaining is how many more writes may start now, from the
	// Concurrency-Remaining header; meaningful only when ConcurrencyLimit is
	// set.
	ConcurrencyRemaining int
}

// DeliveryStatus is how far the delivery of a result link to the ATS got.
type DeliveryStatus string

// The delivery statuses of a result link.
const (
	// DeliveryQueued means the link is stored and waits to be written.
	DeliveryQueued DeliveryStatus = "QUEUED"
	// DeliveryDelivering means the write to the ATS is under way.
	DeliveryDelivering DeliveryStatus = "DELIVERING"
	// DeliveryDelivered means the ATS has the link.
	DeliveryDelivered DeliveryStatus = "DELIVERED"
	// DeliveryFailed means the server gave up writing the link.
	DeliveryFailed DeliveryStatus = "FAILED"
)

// PostAtsApplicationsApplicationIDResultLinksRequest is the request of AddApplicationResultLink: add a result link to an application
// (POST /ats/applications/{application_id}/result-links).
type PostAtsApplicationsApplicationIDResultLinksRequest struct {
	// XIntegrationID is the integration the application belongs to, sent as the
	// X-Integration-Id header. Empty means the client's WithIntegrationID;
	// one of the two is required.
	XIntegrationID string
	// ApplicationID is the Kombo ID of the application, sent in the path. Required.
	ApplicationID string
	// RequestBody is the result link. Leaving it nil sends an empty object,
	// which the server rejects because label and url are missing.
	RequestBody *PostAtsApplicationsApplicationIDResultLinksRequestBody
}

// PostAtsApplicationsApplicationIDResultLinksRequestBody is the JSON body of AddApplicationResultLink: the link and what to show with it.
// Only Label and URL are required; a body with just those two sends just
// those two keys.
type PostAtsApplicationsApplicationIDResultLinksRequestBody struct {
	// Label is the name shown for the link where the ATS can show one, for
	// example "Assessment Result". Required.
	Label string `json:"label"`
	// URL is the address the link points to, an absolute http or https URL
	// (resultlinks takes at most 2,048 characters). Required.
	URL string `json:"url"`
	// Details carries result data to show next to the link, such as a score.
	Details *PostAtsApplicationsApplicationIDResultLinksRequestBodyDetails `json:"details,omitempty"`
	// RemoteFields holds settings for particular ATSs.
	RemoteFields *PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFields `json:"remote_fields,omitempty"`
}

// PostAtsApplicationsApplicationIDResultLinksRequestBodyDetails is result data sent along with the link: short
// key-value attributes, written to the ATS as custom fields where that is how
// the ATS takes them. When Details is set, both fields are required.
type PostAtsApplicationsApplicationIDResultLinksRequestBodyDetails struct {
	// CustomFieldNamePrefix goes before each attribute key to name the
	// custom field it lands in: prefix "Acme:" and key "Score" give the field
	// "Acme: Score". Keep it short so the ATS's screens stay readable.
	CustomFieldNamePrefix string `json:"custom_field_name_prefix"`
	// Attributes are the results to store, in order (resultlinks takes at
	// most 50).
	Attributes []PostAtsApplicationsApplicationIDResultLinksRequestBodyDetailsAttribute `json:"attributes"`
}

// PostAtsApplicationsApplicationIDResultLinksRequestBodyDetailsAttribute is one result, such as Score = 100%.
type PostAtsApplicationsApplicationIDResultLinksRequestBodyDetailsAttribute struct {
	// Key names the result, for example "Score". Must not be empty.
	Key string `json:"key"`
	// Value is the result, for example "100%".
	Value string `json:"value"`
}

// PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFields holds settings that only some ATSs use; the
// others ignore them. Set only the members for the ATS in question.
type PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFields struct {
	// Icims holds settings for iCIMS.
	Icims *PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsIcims `json:"icims,omitempty"`
	// Oracle holds settings for Oracle Recruiting Cloud.
	Oracle *PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsOracle `json:"oracle,omitempty"`
	// Greenhouse holds settings for Greenhouse.
	Greenhouse *PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsGreenhouse `json:"greenhouse,omitempty"`
	// Workable holds settings for Workable.
	Workable *PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsWorkable `json:"workable,omitempty"`
}

// PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsIcims holds the iCIMS settings of a result link.
type PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsIcims struct {
	// AssessmentPackageID is the iCIMS assessment package the link is
	// attached to.
	AssessmentPackageID string `json:"assessment_package_id,omitempty"`
}

// PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsOracle holds the Oracle Recruiting Cloud
// settings of a result link.
type PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsOracle struct {
	// OverrideDocumentCategory is the document category the link is filed
	// under; empty leaves Oracle's default, MISC.
	OverrideDocumentCategory PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategory `json:"override_document_category,omitempty"`
	// MultiPostToAllCurrentApplications, when true, posts the link to all of
	// the candidate's current applications. Nil leaves the key out.
	MultiPostToAllCurrentApplications *bool `json:"multi_post_to_all_current_applications,omitempty"`
}

// PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategory is a document
// category of Oracle Recruiting Cloud.
type PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategory string

// The Oracle document categories a result link can be filed under.
const (
	// PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategoryIRCCandidateResume files the link as a resume.
	PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategoryIRCCandidateResume PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategory = "IRC_CANDIDATE_RESUME"
	// PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategoryIRCCandidateCoverletter files the link as a cover letter.
	PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategoryIRCCandidateCoverletter PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategory = "IRC_CANDIDATE_COVERLETTER"
	// PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategoryMisc files the link as a miscellaneous document, Oracle's default.
	PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategoryMisc PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategory = "MISC"
	// PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategoryIRCInternal files the link as an internal document.
	PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategoryIRCInternal PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategory = "IRC_INTERNAL"
)

// PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsGreenhouse holds the Greenhouse settings of a
// result link.
type PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsGreenhouse struct {
	// PostHeaders are headers for the write to Greenhouse.
	PostHeaders *PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsGreenhousePostHeaders `json:"post_headers,omitempty"`
}

// PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsGreenhousePostHeaders are the headers of the
// write to Greenhouse.
type PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsGreenhousePostHeaders struct {
	// OnBehalfOf is the Greenhouse user shown as having added the link. Nil
	// sends null, which leaves the choice to the server.
	OnBehalfOf *string `json:"On-Behalf-Of"`
}

// PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsWorkable holds the Workable settings of a
// result link.
type PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsWorkable struct {
	// OnBehalfOfUserRemoteID is the Workable ID of the user shown as having
	// added the link.
	OnBehalfOfUserRemoteID string `json:"on_behalf_of_user_remote_id,omitempty"`
}

// PostAtsCandidatesCandidateIDResultLinksRequest is the request of AddCandidateResultLink: add a result link to a candidate
// (POST /ats/candidates/{candidate_id}/result-links).
// It has the same shape as PostAtsApplicationsApplicationIDResultLinksRequest.
type PostAtsCandidatesCandidateIDResultLinksRequest struct {
	// XIntegrationID is the integration the candidate belongs to, sent as the
	// X-Integration-Id header. Empty means the client's WithIntegrationID;
	// one of the two is required.
	XIntegrationID string
	// CandidateID is the Kombo ID of the candidate, sent in the path. Required.
	CandidateID string
	// RequestBody is the result link. Leaving it nil sends an empty object,
	// which the server rejects because label and url are missing.
	RequestBody *PostAtsCandidatesCandidateIDResultLinksRequestBody
}

// PostAtsCandidatesCandidateIDResultLinksRequestBody is the JSON body of AddCandidateResultLink: the link and what to show with it.
// Only Label and URL are required; a body with just those two sends just
// those two keys.
type PostAtsCandidatesCandidateIDResultLinksRequestBody struct {
	// Label is the name shown for the link where the ATS can show one, for
	// example "Assessment Result". Required.
	Label string `json:"label"`
	// URL is the address the link points to, an absolute http or https URL
	// (resultlinks takes at most 2,048 characters). Required.
	URL string `json:"url"`
	// Details carries result data to show next to the link, such as a score.
	Details *PostAtsCandidatesCandidateIDResultLinksRequestBodyDetails `json:"details,omitempty"`
	// RemoteFields holds settings for particular ATSs.
	RemoteFields *PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFields `json:"remote_fields,omitempty"`
}

// PostAtsCandidatesCandidateIDResultLinksRequestBodyDetails is result data sent along with the link: short
// key-value attributes, written to the ATS as custom fields where that is how
// the ATS takes them. When Details is set, both fields are required.
type PostAtsCandidatesCandidateIDResultLinksRequestBodyDetails struct {
	// CustomFieldNamePrefix goes before each attribute key to name the
	// custom field it lands in: prefix "Acme:" and key "Score" give the field
	// "Acme: Score". Keep it short so the ATS's screens stay readable.
	CustomFieldNamePrefix string `json:"custom_field_name_prefix"`
	// Attributes are the results to store, in order (resultlinks takes at
	// most 50).
	Attributes []PostAtsCandidatesCandidateIDResultLinksRequestBodyDetailsAttribute `json:"attributes"`
}

// PostAtsCandidatesCandidateIDResultLinksRequestBodyDetailsAttribute is one result, such as Score = 100%.
type PostAtsCandidatesCandidateIDResultLinksRequestBodyDetailsAttribute struct {
	// Key names the result, for example "Score". Must not be empty.
	Key string `json:"key"`
	// Value is the result, for example "100%".
	Value string `json:"value"`
}

// PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFields holds settings that only some ATSs use; the
// others ignore them. Set only the members for the ATS in question.
type PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFields struct {
	// Icims holds settings for iCIMS.
	Icims *PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsIcims `json:"icims,omitempty"`
	// Oracle holds settings for Oracle Recruiting Cloud.
	Oracle *PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsOracle `json:"oracle,omitempty"`
	// Greenhouse holds settings for Greenhouse.
	Greenhouse *PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsGreenhouse `json:"greenhouse,omitempty"`
	// Workable holds settings for Workable.
	Workable *PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsWorkable `json:"workable,omitempty"`
}

// PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsIcims holds the iCIMS settings of a result link.
type PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsIcims struct {
	// AssessmentPackageID is the iCIMS assessment package the link is
	// attached to.
	AssessmentPackageID string `json:"assessment_package_id,omitempty"`
}

// PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsOracle holds the Oracle Recruiting Cloud
// settings of a result link.
type PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsOracle struct {
	// OverrideDocumentCategory is the document category the link is filed
	// under; empty leaves Oracle's default, MISC.
	OverrideDocumentCategory PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategory `json:"override_document_category,omitempty"`
	// MultiPostToAllCurrentApplications, when true, posts the link to all of
	// the candidate's current applications. Nil leaves the key out.
	MultiPostToAllCurrentApplications *bool `json:"multi_post_to_all_current_applications,omitempty"`
}

// PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategory is a document
// category of Oracle Recruiting Cloud.
type PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategory string

// The Oracle document categories a result link can be filed under.
const (
	// PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategoryIRCCandidateResume files the link as a resume.
	PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategoryIRCCandidateResume PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategory = "IRC_CANDIDATE_RESUME"
	// PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategoryIRCCandidateCoverletter files the link as a cover letter.
	PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategoryIRCCandidateCoverletter PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategory = "IRC_CANDIDATE_COVERLETTER"
	// PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategoryMisc files the link as a miscellaneous document, Oracle's default.
	PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategoryMisc PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategory = "MISC"
	// PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategoryIRCInternal files the link as an internal document.
	PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategoryIRCInternal PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategory = "IRC_INTERNAL"
)

// PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsGreenhouse holds the Greenhouse settings of a
// result link.
type PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsGreenhouse struct {
	// PostHeaders are headers for the write to Greenhouse.
	PostHeaders *PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsGreenhousePostHeaders `json:"post_headers,omitempty"`
}

// PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsGreenhousePostHeaders are the headers of the
// write to Greenhouse.
type PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsGreenhousePostHeaders struct {
	// OnBehalfOf is the Greenhouse user shown as having added the link. Nil
	// sends null, which leaves the choice to the server.
	OnBehalfOf *string `json:"On-Behalf-Of"`
}

// PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsWorkable holds the Workable settings of a
// result link.
type PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsWorkable struct {
	// OnBehalfOfUserRemoteID is the Workable ID of the user shown as having
	// added the link.
	OnBehalfOfUserRemoteID string `json:"on_behalf_of_user_remote_id,omitempty"`
}
