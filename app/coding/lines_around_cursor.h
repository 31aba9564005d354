#pragma once

#include <functional>
#include <limits>
#include <vector>

namespace latent::app {

// Which whole lines around the cursor's line a prompt takes within a budget of tokens, the rule
// the completion window and the Generate prompt share. Lines after the cursor may take up to a
// quarter of the room, lines before it the rest, nearest first; when every line before the
// cursor fits, the lines after it may use what remains. So the lines left out are the farthest
// from the cursor, and the code before it (what the answer continues) is preferred.
class LinesAroundCursor {
public:
    // tokensBefore(i): the tokens of the i-th line before the cursor's line (0: the nearest);
    // tokensAfter(i) likewise after it. Each is asked once per line, however often within() is.
    LinesAroundCursor(int linesBefore, int linesAfter, std::function<int(int)> tokensBefore,
                      std::function<int(int)> tokensAfter);

    struct Choice {
        int before = 0; // lines taken before the cursor's line
        int after = 0;  // lines taken after it
    };
    // The lines to take when they may hold `room` tokens in all (none when room <= 0), the lines
    // after the cursor at most afterCap tokens of them.
    Choice within(int room, int afterCap = std::numeric_limits<int>::max());

private:
    struct Side {
        int lines = 0;
        std::function<int(int)> tokensOf;
        std::vector<int> tokens; // of the lines asked so far, nearest first

        int tokensOfLine(int index);
        // The nearest lines from `taken` on that fit, with `used` tokens already spent, in `room`.
        void take(int room, int& taken, int& used);
    };

    Side before_, after_;
};

} // namespace latent::app
