"""Messages that reach the API from the libraries underneath (marshmallow, webargs, werkzeug,
Flask, flask-limiter), with their placeholders written the gettext way; listed here so that the
catalog extraction (`make messages`) keeps them. tests/test_i18n.py checks the list against what
marshmallow and werkzeug actually say. app.i18n finds them in the formatted text by pattern.
"""

from __future__ import annotations

from app.messages import Msg

LIBRARY_MESSAGES = (
    # marshmallow fields and schemas
    Msg("Missing data for required field."),
    Msg("Field may not be null."),
    Msg("Invalid value."),
    Msg("Invalid input."),
    Msg("Invalid input type."),
    Msg("Invalid type."),
    Msg("Unknown field."),
    Msg("Not a valid string."),
    Msg("Not a valid utf-8 string."),
    Msg("Not a valid integer."),
    Msg("Not a valid number."),
    Msg("Number too large."),
    Msg("Special numeric values (nan or infinity) are not permitted."),
    Msg("Not a valid boolean."),
    Msg("Not a valid date."),
    Msg("Not a valid datetime."),
    Msg("Not a valid time."),
    Msg("Not a valid aware datetime."),
    Msg("Not a valid naive datetime."),
    Msg('"%(input)s" cannot be formatted as a date.'),
    Msg('"%(input)s" cannot be formatted as a datetime.'),
    Msg('"%(input)s" cannot be formatted as a time.'),
    Msg("Not a valid period of time."),
    Msg("%(input)s cannot be formatted as a timedelta."),
    Msg("Not a valid mapping type."),
    Msg("Not a valid list."),
    Msg("Not a valid tuple."),
    Msg("Not a valid UUID."),
    Msg("Not a valid URL."),
    Msg("Not a valid email address."),
    Msg("Not a valid IP address."),
    Msg("Not a valid IPv4 address."),
    Msg("Not a valid IPv6 address."),
    Msg("Not a valid IP interface."),
    Msg("Not a valid IPv4 interface."),
    Msg("Not a valid IPv6 interface."),
    # marshmallow validators
    Msg("Must be one of: %(choices)s."),
    Msg("Must be equal to %(other)s."),
    Msg("Shorter than minimum length %(min)s."),
    Msg("Longer than maximum length %(max)s."),
    Msg("Length must be between %(min)s and %(max)s."),
    Msg("Length must be %(equal)s."),
    Msg("Must be greater than or equal to %(min)s."),
    Msg("Must be greater than %(min)s."),
    Msg("Must be less than or equal to %(max)s."),
    Msg("Must be less than %(max)s."),
    Msg("Must be greater than or equal to %(min)s and less than or equal to %(max)s."),
    Msg("Must be greater than or equal to %(min)s and less than %(max)s."),
    Msg("Must be greater than %(min)s and less than or equal to %(max)s."),
    Msg("Must be greater than %(min)s and less than %(max)s."),
    Msg("String does not match expected pattern."),
    Msg("One or more of the choices you made was in: %(values)s."),
    Msg("One or more of the choices you made was not in: %(choices)s."),
    # werkzeug: titles (the HTTP reason phrases) and default descriptions
    Msg("Bad Request"),
    Msg("The browser (or proxy) sent a request that this server could not understand."),
    Msg("Unauthorized"),
    Msg(
        "The server could not verify that you are authorized to access the URL requested. You"
        " either supplied the wrong credentials (e.g. a bad password), or your browser doesn't"
        " understand how to supply the credentials required."
    ),
    Msg("Forbidden"),
    Msg(
        "You don't have the permission to access the requested resource. It is either"
        " read-protected or not readable by the server."
    ),
    Msg("Not Found"),
    Msg(
        "The requested URL was not found on the server. If you entered the URL manually please"
        " check your spelling and try again."
    ),
    Msg("Method Not Allowed"),
    Msg("The method is not allowed for the requested URL."),
    Msg("Not Acceptable"),
    Msg(
        "The resource identified by the request is only capable of generating response entities"
        " which have content characteristics not acceptable according to the accept headers sent"
        " in the request."
    ),
    Msg("Request Timeout"),
    Msg(
        "The server closed the network connection because the browser didn't finish the request"
        " within the specified time."
    ),
    Msg("Conflict"),
    Msg(
        "A conflict happened while processing the request. The resource might have been modified"
        " while the request was being processed."
    ),
    Msg("Gone"),
    Msg(
        "The requested URL is no longer available on this server and there is no forwarding"
        " address. If you followed a link from a foreign page, please contact the author of this"
        " page."
    ),
    Msg("Length Required"),
    Msg("A request with this method requires a valid <code>Content-Length</code> header."),
    Msg("Precondition Failed"),
    Msg("The precondition on the request for the URL failed positive evaluation."),
    Msg("Request Entity Too Large"),
    Msg("The data value transmitted exceeds the capacity limit."),
    Msg("Request URI Too Long"),
    Msg(
        "The length of the requested URL exceeds the capacity limit for this server. The request"
        " cannot be processed."
    ),
    Msg("Unsupported Media Type"),
    Msg("The server does not support the media type transmitted in the request."),
    Msg("Requested Range Not Satisfiable"),
    Msg("The server cannot provide the requested range."),
    Msg("Expectation Failed"),
    Msg("The server could not meet the requirements of the Expect header"),
    Msg("I'm a teapot"),
    Msg("This server is a teapot, not a coffee machine"),
    Msg("Misdirected Request"),
    Msg("The server is not able to produce a response."),
    Msg("Unprocessable Entity"),
    Msg("The request was well-formed but was unable to be followed due to semantic errors."),
    Msg("Locked"),
    Msg("The resource that is being accessed is locked."),
    Msg("Failed Dependency"),
    Msg(
        "The method could not be performed on the resource because the requested action depended"
        " on another action and that action failed."
    ),
    Msg("Precondition Required"),
    Msg(
        'This request is required to be conditional; try using "If-Match" or "If-Unmodified-Since".'
    ),
    Msg("Too Many Requests"),
    Msg("This user has exceeded an allotted request count. Try again later."),
    Msg("Request Header Fields Too Large"),
    Msg("One or more header fields exceeds the maximum size."),
    Msg("Unavailable For Legal Reasons"),
    Msg("Unavailable for legal reasons."),
    Msg("Internal Server Error"),
    Msg(
        "The server encountered an internal error and was unable to complete your request. Either"
        " the server is overloaded or there is an error in the application."
    ),
    Msg("Not Implemented"),
    Msg("The server does not support the action requested by the browser."),
    Msg("Bad Gateway"),
    Msg("The proxy server received an invalid response from an upstream server."),
    Msg("Service Unavailable"),
    Msg(
        "The server is temporarily unable to service your request due to maintenance downtime or"
        " capacity problems. Please try again later."
    ),
    Msg("Gateway Timeout"),
    Msg("The connection to an upstream server timed out."),
    Msg("HTTP Version Not Supported"),
    Msg("The server does not support the HTTP protocol version used in the request."),
    # Flask's and webargs' JSON body errors
    Msg("Invalid JSON body."),
    Msg("Failed to decode JSON object: %(error)s"),
    Msg(
        "Did not attempt to load JSON data because the request Content-Type was not"
        " 'application/json'."
    ),
    # flask-limiter's description of the limit that was hit ("5 per 1 minute")
    Msg("%(count)s per %(n)s second"),
    Msg("%(count)s per %(n)s minute"),
    Msg("%(count)s per %(n)s hour"),
    Msg("%(count)s per %(n)s day"),
)
