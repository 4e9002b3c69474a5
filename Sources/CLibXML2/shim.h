// Debian's libxml2 headers include the system ICU headers when LIBXML_ICU_ENABLED is set,
// and those clash with the ICU module Foundation carries ("'UErrorCode' has different
// definitions in different modules"). Parallax never uses libxml2's ICU entry points.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
