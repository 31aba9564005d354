#include "app/coding/lines_around_cursor.h"

#include <algorithm>
#include <utility>

namespace latent::app {

LinesAroundCursor::LinesAroundCursor(int linesBefore, int linesAfter, std::function<int(int)> tokensBefore,
                                     std::function<int(int)> tokensAfter)
    : before_{linesBefore, std::move(tokensBefore), {}}, after_{linesAfter, std::move(tokensAfter), {}}
{
}

LinesAroundCursor::Choice LinesAroundCursor::within(int room, int afterCap)
{
    Choice choice;
    if (room <= 0)
        return choice;
    int beforeTokens = 0;
    int afterTokens = 0;
    after_.take(std::min(room / 4, afterCap), choice.after, afterTokens);
    before_.take(room - afterTokens, choice.before, beforeTokens);
    if (choice.before == before_.lines)
        after_.take(std::min(room - beforeTokens, afterCap), choice.after, afterTokens);
    return choice;
}

int LinesAroundCursor::Side::tokensOfLine(int index)
{
    while (int(tokens.size()) <= index)
        tokens.push_back(tokensOf(int(tokens.size())));
    return tokens[size_t(index)];
}

void LinesAroundCursor::Side::take(int room, int& taken, int& used)
{
    while (taken < lines && used + tokensOfLine(taken) <= room)
        used += tokensOfLine(taken++);
}

} // namespace latent::app
